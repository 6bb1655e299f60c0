"""The command line as a user drives it: exit codes, one-line refusals, nothing stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apps.cli import context
from apps.cli.main import app
from eventstore.bootstrap import build_application
from eventstore.settings import Settings


@pytest.fixture
def monev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MONEV_HOME", str(tmp_path))
    monkeypatch.delenv("MONEV_USER", raising=False)
    monkeypatch.delenv("MONEV_USERS_FILE", raising=False)
    monkeypatch.setenv("MONEV_LANG", "en")  # these tests read the English wording
    context.settings.cache_clear()
    context.application.cache_clear()
    yield CliRunner()
    context.settings.cache_clear()
    context.application.cache_clear()


def last_position(home: Path) -> int:
    return build_application(Settings.from_env({}, home=home)).last_position()


def test_demo_fills_an_empty_store_and_log_shows_actors(monev: CliRunner, tmp_path: Path) -> None:
    result = monev.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    assert "Demo story 2017 loaded" in result.output
    log = monev.invoke(app, ["log", "--limit", "3"])
    assert log.exit_code == 0
    lines = log.output.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].split("\t")[2] == "admin (admin)"
    assert lines[0].split("\t")[3] == "OpdRegistered"


def test_demo_refuses_a_store_that_has_events_unless_told_if_empty(monev: CliRunner) -> None:
    assert monev.invoke(app, ["demo"]).exit_code == 0
    again = monev.invoke(app, ["demo"])
    assert again.exit_code == 1
    assert "not empty" in again.output
    assert monev.invoke(app, ["demo", "--if-empty"]).exit_code == 0


def test_log_filters_by_aggregate_event_and_actor(monev: CliRunner) -> None:
    monev.invoke(app, ["demo"])
    result = monev.invoke(
        app, ["log", "--aggregate", "A-DISKOP-02", "--event", "EvaluationCorrected"]
    )
    rows = [line.split("\t") for line in result.output.strip().splitlines()]
    assert len(rows) == 1
    assert rows[0][4] == "A-DISKOP-02"
    assert "reason=Salah ketik" in rows[0][5]
    by_actor = monev.invoke(app, ["log", "--actor", "opd-dpmptsp"]).output.strip().splitlines()
    assert by_actor and all("opd-dpmptsp" in line for line in by_actor)


def test_a_refused_command_exits_non_zero_with_one_line_and_stores_nothing(
    monev: CliRunner, tmp_path: Path
) -> None:
    monev.invoke(app, ["demo"])
    before = last_position(tmp_path)
    result = monev.invoke(
        app,
        ["--user", "opd-disnak", "evaluation", "record", "A-DISKOP-01", "2017-Q4",
         "--physical", "50", "--financial", "1.000.000", "--indicator", "3"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "act only for their own agency" in result.output
    assert last_position(tmp_path) == before


def test_money_in_indonesian_grouping_is_accepted(monev: CliRunner, tmp_path: Path) -> None:
    monev.invoke(app, ["demo"])
    created = monev.invoke(
        app,
        ["--user", "opd-diskopukm", "activity", "register", "A-NEW-01", "--program", "SE-2017",
         "--opd", "DISKOPUKM", "--name", "Klinik baru", "--pagu", "1.250.000",
         "--indicator", "UMKM", "--unit", "UMKM", "--target", "40", "--quarterly", "10;10;10;10",
         "--kecamatan", "Nguling"],
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    app_ = build_application(Settings.from_env({}, home=tmp_path))
    assert app_.get_activity("A-NEW-01").pagu_rp == 1_250_000


def test_acting_without_a_user_says_how_to_name_one(monev: CliRunner) -> None:
    result = monev.invoke(app, ["opd", "register", "X", "--name", "X"])
    assert result.exit_code == 1
    assert "--user" in result.output and "MONEV_USER" in result.output


def test_user_add_stores_a_hash_never_the_password(monev: CliRunner, tmp_path: Path) -> None:
    result = monev.invoke(
        app,
        ["user", "add", "kabag", "--role", "admin", "--password-stdin"],
        input="rahasia-sekali\n",
    )
    assert result.exit_code == 0, result.output
    text = (tmp_path / "users.toml").read_text()
    assert "rahasia-sekali" not in text
    assert 'password_hash = "scrypt$' in text
    from apps.users import load_users, verify_password

    user = load_users(tmp_path / "users.toml")["kabag"]
    assert verify_password(user, "rahasia-sekali")
    assert not verify_password(user, "salah-sandi")


def test_user_add_again_replaces_the_password_and_keeps_the_name(
    monev: CliRunner, tmp_path: Path
) -> None:
    from apps.users import load_users, verify_password

    first = ["user", "add", "kabag", "--role", "admin", "--name", "Kepala Bagian"]
    assert monev.invoke(app, [*first, "--password-stdin"], input="sandi-lama-1\n").exit_code == 0
    again = ["user", "add", "kabag", "--role", "viewer", "--password-stdin"]
    result = monev.invoke(app, again, input="sandi-baru-2\n")
    assert result.exit_code == 0, result.output
    user = load_users(tmp_path / "users.toml")["kabag"]
    assert (user.name, user.role) == ("Kepala Bagian", "viewer")
    assert verify_password(user, "sandi-baru-2")
    assert not verify_password(user, "sandi-lama-1")
