"""Fixtures of the dashboard's end-to-end tests: a real warehouse, users with passwords, a server.

The warehouse comes from the real pipeline: the 2017 demo story recorded through the domain
commands, then `apps.refresh.refresh` (projection, dbt build, publish). That takes minutes, so
it is built once per test process and every dashboard test is grouped on one xdist worker
(``xdist_group("dashboard")``). Tests that record something work on a copy of it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from apps.dashboard_server import command, environment
from apps.demo import demo_users, load_demo
from apps.refresh import refresh
from apps.users import hash_password, save_users
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "apps" / "streamlit" / "app.py"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PASSWORD = "uji-dasbor-2017"  # test users only; nothing like it is shipped
SIGNED_IN = ("admin", "opd-diskopukm", "opd-disperta", "pimpinan")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class DashboardHome:
    """A data directory with a published warehouse and users who can sign in."""

    settings: Settings

    @property
    def home(self) -> Path:
        return self.settings.home

    @property
    def warehouse(self) -> Path:
        return self.settings.warehouse_path

    def last_position(self) -> int:
        app = build_application(self.settings)
        try:
            return app.last_position()
        finally:
            app.close()


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def refresh_warehouse(settings: Settings) -> None:
    """`monev refresh`, with the demo's illustrative population so the indices have values."""
    with _environment(MONEV_DEMO_POPULATION="true"):
        refresh(settings)


def build_demo_home(home: Path) -> DashboardHome:
    settings = Settings.from_env({}, home=home)
    app = build_application(settings)
    try:
        load_demo(app)
    finally:
        app.close()
    users = demo_users()
    for user_id in SIGNED_IN:
        users[user_id] = replace(users[user_id], password_hash=hash_password(PASSWORD))
    save_users(settings.users_path, users)
    refresh_warehouse(settings)
    return DashboardHome(settings)


@pytest.fixture(scope="session")
def refresh_dashboard() -> Callable[[Settings], None]:
    """`monev refresh` for a test's data directory (the demo population switched on)."""
    return refresh_warehouse


@pytest.fixture(scope="session")
def dashboard_app() -> Path:
    """The entry script that `monev dashboard` serves."""
    return APP


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    """``test-artifacts/screenshots``: kept after the run for people (and CI) to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def dashboard_password() -> str:
    return PASSWORD


@pytest.fixture(scope="session")
def dashboard_home(tmp_path_factory: pytest.TempPathFactory) -> DashboardHome:
    """The demo, refreshed once: read by every test that records nothing."""
    return build_demo_home(tmp_path_factory.mktemp("dashboard") / "data")


@pytest.fixture
def writable_home(dashboard_home: DashboardHome, tmp_path: Path) -> DashboardHome:
    """A copy of the demo home for one test that records events (and may refresh)."""
    home = tmp_path / "data"
    shutil.copytree(
        dashboard_home.home, home, ignore=shutil.ignore_patterns(".publishing", "*.lock")
    )
    return DashboardHome(Settings.from_env({}, home=home))


@pytest.fixture
def dashboard_env(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Points the app (which reads settings from the environment) at a data directory."""

    def point(home: DashboardHome | Path, *, public_read: str = "1") -> None:
        path = home.home if isinstance(home, DashboardHome) else home
        monkeypatch.setenv("MONEV_HOME", str(path))
        monkeypatch.setenv("MONEV_EVENT_STORE", "sqlite")
        monkeypatch.setenv("MONEV_DASHBOARD_HOST", "127.0.0.1")
        monkeypatch.setenv("MONEV_DASHBOARD_PUBLIC_READ", public_read)
        monkeypatch.delenv("MONEV_USERS_FILE", raising=False)
        monkeypatch.delenv("MONEV_CONFIG", raising=False)

    return point


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_dashboard(
    settings: Settings, *, public_read: str | None = None, timeout: float = 60
) -> Iterator[str]:
    """The dashboard as `monev dashboard` starts it, on a free loopback port; yields its URL."""
    settings = replace(settings, dashboard_host="127.0.0.1", dashboard_port=free_port())
    env = environment(settings)
    if public_read is None:  # the default a deployment gets
        env.pop("MONEV_DASHBOARD_PUBLIC_READ", None)
    else:
        env["MONEV_DASHBOARD_PUBLIC_READ"] = public_read
    url = f"http://127.0.0.1:{settings.dashboard_port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command(settings), env=env, stdout=log, stderr=subprocess.STDOUT, cwd=settings.home
        )
        try:
            _wait_until_healthy(url, process, log, timeout)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_healthy(
    url: str, process: subprocess.Popen[bytes], log: Any, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            output = log.read().decode("utf-8", "replace")[-3000:]
            pytest.fail(f"The dashboard did not start:\n{output}", pytrace=False)
        time.sleep(0.3)


@pytest.fixture(scope="session")
def dashboard_url(dashboard_home: DashboardHome) -> Iterator[str]:
    """One server for the browser tests, with the defaults a deployment gets (sign-in needed)."""
    with running_dashboard(dashboard_home.settings) as url:
        yield url


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[object]:
    """A page of Debian's headless Chromium with a fresh profile (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `make system-deps` installs Debian's chromium.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 1000},
            accept_downloads=True,
            locale="id-ID",
            timezone_id="Asia/Jakarta",
        )
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


@contextmanager
def loopback_proxy(target_url: str) -> Iterator[str]:
    """A reverse proxy in miniature: a TCP relay on another loopback port to the dashboard.

    Enough to show what a proxy on the same machine does to the server's view of a visitor:
    every connection, HTTP and WebSocket alike, arrives from 127.0.0.1.
    """
    target_port = int(target_url.rsplit(":", 1)[1])
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", target_port))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=pipe, args=(source, sink), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


@pytest.fixture
def proxied_dashboard_url(dashboard_url: str) -> Iterator[str]:
    """The shared dashboard as seen through ``loopback_proxy``."""
    with loopback_proxy(dashboard_url) as url:
        yield url
