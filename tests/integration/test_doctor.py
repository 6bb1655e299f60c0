"""`monev doctor`: the configuration in force, secrets masked, and what is wrong in plain words.

Exit code 0 when monev can work as configured (warnings allowed), 1 when something must be
fixed. Each broken set-up here is a real one: a wrong password against the suite's server, a
port nothing listens on, a database that does not exist, a settings file with a typo.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from operations_support import ADMIN, run_cli, sqlite_settings
from pg_server import PostgresServer, free_port

from apps.demo import demo_users, load_demo
from apps.users import save_users
from eventstore.bootstrap import build_application
from eventstore.settings import Settings


@pytest.fixture
def demo_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    load_demo(build_application(sqlite_settings(home)))
    save_users(home / "users.toml", demo_users())
    return home


def test_a_working_sqlite_set_up_is_healthy_and_shows_its_settings(demo_home: Path) -> None:
    result = run_cli(["doctor"], {"MONEV_HOME": str(demo_home)})
    assert result.exit_code == 0, result.output
    assert "MONEV_HOME" in result.output
    assert str(demo_home) in result.output
    assert "DuckDB 2.0.1" in result.output
    assert "dbt 1.11.16" in result.output
    assert "events, last position" in result.output
    assert "healthy" in result.output


@pytest.mark.slow
def test_the_warehouse_data_as_of_and_how_far_it_lags_are_reported(
    refreshed_demo_home: Path,
) -> None:
    demo_home = refreshed_demo_home  # the demo, refreshed
    fresh = run_cli(["doctor"], {"MONEV_HOME": str(demo_home)})
    assert fresh.exit_code == 0, fresh.output
    assert "data as of" in fresh.output
    assert " marts." in fresh.output
    assert "has no marts" not in fresh.output
    assert "behind" not in fresh.output
    build_application(sqlite_settings(demo_home)).register_opd(
        ADMIN, code="BARU", name="Dinas Baru"
    )
    stale = run_cli(["doctor"], {"MONEV_HOME": str(demo_home), "COLUMNS": "200"})
    assert stale.exit_code == 0, stale.output
    assert "1 event behind the event store" in stale.output


def test_an_empty_home_is_healthy_but_says_what_to_do_first(tmp_path: Path) -> None:
    result = run_cli(["doctor"], {"MONEV_HOME": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert "monev demo" in result.output
    assert "monev refresh" in result.output
    assert "monev user add" in result.output


def test_the_postgres_password_is_masked_and_a_wrong_one_named(
    fresh_postgres_env: dict[str, str], tmp_path: Path
) -> None:
    secret = "not-the-password-" + "x" * 8
    env = {**fresh_postgres_env, "POSTGRES_PASSWORD": secret, "MONEV_HOME": str(tmp_path)}
    result = run_cli(["doctor"], env)
    assert result.exit_code == 1
    assert secret not in result.output
    assert "POSTGRES_PASSWORD" in result.output
    assert "refused the password of user monev" in result.output


def test_a_reachable_postgres_store_is_healthy(
    fresh_postgres_env: dict[str, str], tmp_path: Path
) -> None:
    load_demo(build_application(Settings.from_env(fresh_postgres_env, home=tmp_path)))
    result = run_cli(["doctor"], {**fresh_postgres_env, "MONEV_HOME": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert "PostgreSQL 15" in result.output
    assert fresh_postgres_env["POSTGRES_PASSWORD"] not in result.output
    assert "may only INSERT and SELECT" in result.output  # the owner role is warned about


def test_nothing_listening_and_a_missing_database_are_named(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    env = {**postgres_server.settings("no_such_database"), "MONEV_HOME": str(tmp_path)}
    missing = run_cli(["doctor"], env)
    assert missing.exit_code == 1
    assert "has no database 'no_such_database'" in missing.output
    nobody = run_cli(["doctor"], {**env, "POSTGRES_PORT": str(free_port())})
    assert nobody.exit_code == 1
    assert "Nothing answers" in nobody.output


def test_a_settings_file_with_an_unknown_key_is_a_problem(tmp_path: Path) -> None:
    config = tmp_path / "monev.toml"
    config.write_text('hom = "/srv/monev"\n')
    result = run_cli(["doctor"], {"MONEV_CONFIG": str(config)})
    assert result.exit_code == 1
    assert "unknown setting 'hom'" in result.output


def test_settings_from_the_file_are_shown_with_their_source(tmp_path: Path) -> None:
    config = tmp_path / "monev.toml"
    config.write_text('home = "data"\n[dashboard]\nport = 8600\n')
    result = run_cli(["doctor"], {"MONEV_CONFIG": str(config)})
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "MONEV_DASHBOARD_PORT" in line)
    assert "8600" in line
    assert "monev.toml" in line


def test_anonymous_read_is_flagged_and_is_a_problem_off_loopback(tmp_path: Path) -> None:
    quiet = run_cli(["doctor"], {"MONEV_HOME": str(tmp_path)})
    assert "Reading the dashboard needs a sign-in." in quiet.output
    demo = run_cli(
        ["doctor"],
        {"MONEV_HOME": str(tmp_path), "MONEV_DASHBOARD_PUBLIC_READ": "1", "COLUMNS": "200"},
    )
    assert demo.exit_code == 0, demo.output  # a local demo: a warning
    assert "MONEV_DASHBOARD_PUBLIC_READ is on" in demo.output
    assert "reverse proxy" in demo.output
    exposed = run_cli(
        ["doctor"],
        {
            "MONEV_HOME": str(tmp_path),
            "MONEV_DASHBOARD_PUBLIC_READ": "1",
            "MONEV_DASHBOARD_HOST": "0.0.0.0",
            "COLUMNS": "200",
        },
    )
    assert exposed.exit_code == 1, exposed.output
    assert "MONEV_DASHBOARD_PUBLIC_READ is on" in exposed.output


def test_a_users_file_readable_by_others_is_flagged(demo_home: Path) -> None:
    (demo_home / "users.toml").chmod(0o644)
    result = run_cli(["doctor"], {"MONEV_HOME": str(demo_home), "COLUMNS": "200"})
    assert "chmod 600" in result.output
    assert "users.toml" in result.output


def test_a_leftover_recorder_setting_is_honoured_and_named_as_unneeded(demo_home: Path) -> None:
    """Older guides had operators export monev's recorder; monev now chooses it itself."""
    env = {
        "MONEV_HOME": str(demo_home),
        "APPLICATION_RECORDER_TOPIC": "eventstore.postgres_roles:AppRoleRecorder",
    }
    result = run_cli(["doctor"], env)
    assert result.exit_code == 0, result.output
    assert "APPLICATION_RECORDER_TOPIC is no longer needed" in result.output
    recorded = run_cli(["--user", "admin", "opd", "register", "DISBARU", "--name", "Baru"], env)
    assert recorded.exit_code == 0, recorded.output


def test_another_recorder_named_in_the_settings_is_refused_plainly(demo_home: Path) -> None:
    env = {
        "MONEV_HOME": str(demo_home),
        "APPLICATION_RECORDER_TOPIC": "eventsourcing.sqlite:SQLiteApplicationRecorder",
    }
    before = build_application(sqlite_settings(demo_home)).last_position()
    doctor = run_cli(["doctor"], env)
    assert doctor.exit_code == 1
    assert "remove APPLICATION_RECORDER_TOPIC" in doctor.output
    command = run_cli(["--user", "admin", "opd", "register", "DISBARU", "--name", "Baru"], env)
    assert command.exit_code == 1
    assert command.output.startswith(("Refused:", "Ditolak:"))  # one plain line
    assert command.output.strip().count("\n") == 0
    assert "remove APPLICATION_RECORDER_TOPIC" in command.output
    assert build_application(sqlite_settings(demo_home)).last_position() == before
