"""docker/: the production topology as files, checked without a Docker engine.

No Docker engine runs on the development machines, so the compose file and the Dockerfile are
read as data: the services and how they depend on each other, health checks, volumes (the
dashboard's warehouse read-only), the dashboard bound to 127.0.0.1 on the host, and no secret
written anywhere in the repository. The same topology runs for real, without Docker, in
tests/e2e/test_topology.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from apps.doctor import SETTINGS_SHOWN

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
COMPOSE = DOCKER / "compose.yaml"
DOCKERFILE = DOCKER / "Dockerfile"
ENTRYPOINT = DOCKER / "entrypoint.sh"
MONEV_SERVICES = ("setup", "refresher", "dashboard")
SECRET_WORDS = ("PASSWORD", "SECRET", "TOKEN", "KEY")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(data, dict)
    return data


def service(compose: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = compose["services"][name]
    return found


def environment(spec: dict[str, Any]) -> dict[str, str]:
    env = spec.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(k): str(v) for k, v in env.items()}


def mounts(spec: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(source, target, mode) of each short-syntax volume."""
    found = []
    for entry in spec.get("volumes", []):
        parts = entry.split(":")
        found.append((parts[0], parts[1], parts[2] if len(parts) > 2 else "rw"))
    return found


def test_the_topology_has_postgres_a_setup_step_the_refresher_and_the_dashboard(
    compose: dict[str, Any],
) -> None:
    assert set(compose["services"]) == {"postgres", *MONEV_SERVICES}
    assert service(compose, "postgres")["image"] == "postgres:15"
    assert service(compose, "refresher")["command"] == ["refresh", "--watch"]
    assert service(compose, "dashboard")["command"] == ["dashboard"]
    assert service(compose, "setup")["command"][0] == "postgres-setup"
    for name in MONEV_SERVICES:
        spec = service(compose, name)
        assert spec["build"]["dockerfile"] == "docker/Dockerfile"
        assert environment(spec)["MONEV_EVENT_STORE"] == "postgres"


def test_services_start_in_order_on_health(compose: dict[str, Any]) -> None:
    assert service(compose, "setup")["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert service(compose, "refresher")["depends_on"] == {
        "setup": {"condition": "service_completed_successfully"}
    }
    assert "refresher" in service(compose, "dashboard")["depends_on"]
    assert service(compose, "setup")["restart"] == "no"


def test_long_running_services_have_health_checks(compose: dict[str, Any]) -> None:
    postgres_check = service(compose, "postgres")["healthcheck"]
    assert "pg_isready" in " ".join(postgres_check["test"])
    assert "/_stcore/health" in " ".join(service(compose, "dashboard")["healthcheck"]["test"])
    assert "doctor" in service(compose, "refresher")["healthcheck"]["test"]
    for name in ("postgres", "refresher", "dashboard"):
        check = service(compose, name)["healthcheck"]
        assert check["interval"] and check["retries"] >= 1, name


def test_data_lives_in_named_volumes_and_the_dashboard_reads_the_warehouse_read_only(
    compose: dict[str, Any],
) -> None:
    assert set(compose["volumes"]) == {"pgdata", "warehouse", "sessions"}
    assert ("pgdata", "/var/lib/postgresql/data", "rw") in mounts(service(compose, "postgres"))
    home = environment(service(compose, "refresher"))["MONEV_HOME"]
    assert ("warehouse", home, "rw") in mounts(service(compose, "refresher"))
    # The dashboard writes only its sign-in sessions, in a volume of their own.
    sessions = environment(service(compose, "dashboard"))["MONEV_SESSIONS_FILE"]
    assert mounts(service(compose, "dashboard")) == [
        ("warehouse", home, "ro"),
        ("sessions", str(Path(sessions).parent), "rw"),
    ]
    assert environment(service(compose, "dashboard"))["MONEV_HOME"] == home


def test_only_the_dashboard_is_published_and_only_on_the_hosts_loopback(
    compose: dict[str, Any],
) -> None:
    published = {name: spec.get("ports", []) for name, spec in compose["services"].items()}
    assert published["dashboard"] == ["127.0.0.1:8501:8501"]
    assert all(not ports for name, ports in published.items() if name != "dashboard")
    # 0.0.0.0 inside the dashboard's container only, so the published port reaches it.
    for name in MONEV_SERVICES:
        host = environment(service(compose, name)).get("MONEV_DASHBOARD_HOST")
        assert host == ("0.0.0.0" if name == "dashboard" else None), name


def test_no_secret_is_written_in_the_compose_file(compose: dict[str, Any]) -> None:
    for name, spec in compose["services"].items():
        for key, value in environment(spec).items():
            if any(word in key for word in SECRET_WORDS) and not key.endswith("_TOPIC"):
                assert key.endswith("_FILE"), f"{name}: {key} must come from a secret file"
                assert value.startswith("/run/secrets/"), f"{name}: {key}={value}"
                assert value.removeprefix("/run/secrets/") in spec["secrets"], name
    for secret in compose["secrets"].values():
        assert set(secret) == {"file"}
        assert secret["file"].startswith("./secrets/")


def test_the_secrets_directory_is_ignored_by_git() -> None:
    ignore = (DOCKER / "secrets" / ".gitignore").read_text().split()
    assert "*" in ignore
    tracked = subprocess.run(
        ["git", "ls-files", "docker/secrets"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked in ([], ["docker/secrets/.gitignore"])


def test_monev_settings_in_the_compose_file_are_ones_monev_reads(compose: dict[str, Any]) -> None:
    known = {name for name, _ in SETTINGS_SHOWN} | {"HOME"}
    for name in MONEV_SERVICES:
        for key in environment(service(compose, name)):
            assert key in known or key.startswith("POSTGRES_"), f"{name}: unknown setting {key}"


def test_the_image_is_slim_pinned_non_root_and_checks_its_health() -> None:
    text = DOCKERFILE.read_text()
    instructions = [
        line.split(None, 1)
        for line in re.sub(r"\\\n", " ", text).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    keywords = [parts[0].upper() for parts in instructions]
    assert instructions[0][1].startswith("python:3.11-slim")
    assert "-c constraints.txt" in text
    user = [parts[1].strip() for parts in instructions if parts[0].upper() == "USER"]
    assert user and user[-1] not in ("root", "0")
    assert keywords.index("USER") < keywords.index("ENTRYPOINT")
    assert "HEALTHCHECK" in keywords
    assert any(parts[0].upper() == "EXPOSE" and "8501" in parts[1] for parts in instructions)
    assert "MONEV_HOME=/data" in text
    for parts in instructions:
        if parts[0].upper() in ("ENV", "ARG"):
            assert not any(word in parts[1].upper() for word in ("PASSWORD", "SECRET")), parts


def test_the_entrypoint_turns_a_secret_file_into_the_password_without_showing_it(
    tmp_path: Path,
) -> None:
    secret = tmp_path / "monev_app_password"
    secret.write_text("s3cret-from-a-file\n")
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "MONEV_HOME": str(tmp_path),
        "POSTGRES_PASSWORD_FILE": str(secret),
        "COLUMNS": "200",
    }
    result = subprocess.run(
        ["sh", str(ENTRYPOINT), "doctor"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "s3cret" not in result.stdout + result.stderr
    password_line = next(
        line for line in result.stdout.splitlines() if "POSTGRES_PASSWORD " in line + " "
    )
    assert "(set)" in password_line
    assert "POSTGRES_PASSWORD_FILE" not in result.stdout
