"""`monev dashboard` as an operator runs it: one process, stopped by SIGTERM, port released."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from pg_server import free_port

MONEV = str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "monev")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_sigterm_to_monev_dashboard_stops_the_server_and_frees_its_port(tmp_path: Path) -> None:
    """systemd, docker and `kill` signal the pid they started; no server may outlive it."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MONEV_", "POSTGRES_"))},
        "MONEV_HOME": str(tmp_path),
        "MONEV_DASHBOARD_PORT": str(port),
    }
    process = subprocess.Popen(
        [MONEV, "dashboard"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 120
        while not answers(f"http://127.0.0.1:{port}/_stcore/health"):
            assert process.poll() is None, process.communicate()[0]
            assert time.monotonic() < deadline, "the dashboard never answered"
            time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) is not None
        assert not port_in_use(port), "a server still listens after monev dashboard stopped"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_monev_dashboard_port_serves_on_that_port(tmp_path: Path) -> None:
    """--port (and --host) override the settings, without environment variables."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MONEV_", "POSTGRES_"))},
        "MONEV_HOME": str(tmp_path),
    }
    process = subprocess.Popen(
        [MONEV, "dashboard", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not answers(f"http://127.0.0.1:{port}/_stcore/health"):
            assert process.poll() is None, process.communicate()[0]
            assert time.monotonic() < deadline, "the dashboard never answered on --port"
            time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=60)[0]
    assert f"http://127.0.0.1:{port}" in output.splitlines()[0]
