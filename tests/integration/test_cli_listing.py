"""`monev … list` and `… show` on the demo store, before any refresh: table, CSV and JSON.

Each command runs through typer's runner and as a real process (the installed console script),
on one demo store that was never refreshed (no warehouse file exists), so the answers come from
the event store itself. Column names are the documented ones (docs/cli.md).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apps.cli import context
from apps.cli.main import app
from apps.demo import demo_users, load_demo
from apps.users import save_users
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

MONEV = str(Path(sys.executable).with_name("monev"))

# command, a value its answer must hold, the CSV/JSON columns (list commands)
LISTS = {
    ("opd", "list"): ("DISKOPUKM", ["code", "name", "short_name"]),
    ("program", "list"): (
        "SE-2017",
        ["code", "name", "opd_code", "fiscal_year", "coordinator", "members", "activities"],
    ),
    ("activity", "list"): (
        "A-DISKOP-02",
        [
            "code",
            "name",
            "program_code",
            "opd_code",
            "kecamatan_code",
            "kecamatan",
            "fiscal_year",
            "pagu_rp",
            "financial_realised_rp",
            "indicator_name",
            "indicator_unit",
            "indicator_kind",
            "annual_target",
            "quarters_evaluated",
            "is_joint",
            "merged_into",
        ],
    ),
    ("problem", "list"): (
        "PRB-01",
        ["code", "title", "category", "kecamatan_code", "kecamatan", "activities"],
    ),
    ("mentor", "list"): (
        "M01",
        [
            "code",
            "name",
            "kind",
            "recruited_by_opd",
            "registered_on",
            "kecamatan_codes",
            "kecamatan",
            "is_dobel",
            "quarters_evaluated",
        ],
    ),
    ("recommendation", "list"): (
        "REK-2017-1-01",
        [
            "code",
            "quarter",
            "opd_code",
            "due_quarter",
            "status",
            "activity_code",
            "problem_code",
            "follow_ups",
            "last_follow_up",
            "text",
        ],
    ),
    ("quarter", "list"): (
        "2017-Q1",
        ["quarter", "rakor_held_on", "is_closed", "evaluations", "attending_opd_codes"],
    ),
}
SHOWS = {
    ("program", "show", "SE-2017"): ("members", "activities"),
    ("activity", "show", "A-DISKOP-02"): ("evaluations", "revisions"),
}
COMMANDS = [*LISTS, *SHOWS]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo story in a fresh store, never refreshed: no warehouse."""
    home = tmp_path_factory.mktemp("listing")
    load_demo(build_application(Settings.from_env({}, home=home)))
    save_users(home / "users.toml", demo_users())
    assert not (home / "warehouse.duckdb").exists()
    return home


@pytest.fixture
def runner(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MONEV_HOME", str(home))
    monkeypatch.delenv("MONEV_USERS_FILE", raising=False)
    monkeypatch.delenv("MONEV_LANG", raising=False)
    context.settings.cache_clear()
    context.application.cache_clear()
    yield CliRunner()
    context.settings.cache_clear()
    context.application.cache_clear()


def process(home: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MONEV_HOME": str(home), "COLUMNS": "200"}
    env.pop("MONEV_LANG", None)
    return subprocess.run(
        [MONEV, *arguments], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def check_answer(command: tuple[str, ...], fmt: str, out: str) -> None:
    """The answer holds the record it must, in the format asked for, with the documented names."""
    if command in LISTS:
        value, columns = LISTS[command]
        if fmt == "json":
            rows = json.loads(out)
            assert rows and list(rows[0]) == columns
            assert value in {str(v) for row in rows for v in row.values()}
        elif fmt == "csv":
            reader = csv.DictReader(io.StringIO(out))
            assert reader.fieldnames == columns
            assert any(value in row.values() for row in reader)
        else:
            assert value in out
    else:
        sections = SHOWS[command]
        if fmt == "json":
            whole = json.loads(out)
            assert whole["code"] == command[2]
            assert all(isinstance(whole[s], list) for s in sections)
        elif fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(out)))
            assert {"record", *sections} >= {r["section"] for r in rows}
            assert {"section": "record", "item": "", "field": "code", "value": command[2]} in rows
        else:
            assert command[2] in out and all(s in out for s in sections)


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_list_and_show_answers_through_the_runner(
    runner: CliRunner, home: Path, command: tuple[str, ...], fmt: str
) -> None:
    result = runner.invoke(app, [*command, "--format", fmt])
    assert result.exit_code == 0, result.output
    check_answer(command, fmt, result.stdout)
    assert not (home / "warehouse.duckdb").exists()


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_list_and_show_answers_as_a_real_process(
    home: Path, command: tuple[str, ...], fmt: str
) -> None:
    result = process(home, *command, "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    check_answer(command, fmt, result.stdout)


def test_program_show_names_the_coordinator_members_and_activities(runner: CliRunner) -> None:
    whole = json.loads(runner.invoke(app, ["program", "show", "se-2017", "-f", "json"]).stdout)
    assert whole["coordinator"] == "DISKOPUKM"
    roles = {m["opd_code"]: m["role"] for m in whole["members"]}
    assert roles["DISPERINDAG"] == "member"
    assert "A-DISKOP-01" in {a["code"] for a in whole["activities"]}


def test_activity_show_has_evaluations_per_quarter_and_corrections(runner: CliRunner) -> None:
    whole = json.loads(runner.invoke(app, ["activity", "show", "A-DISKOP-02", "-f", "json"]).stdout)
    quarters = [e["quarter"] for e in whole["evaluations"]]
    assert quarters == ["2017-Q1", "2017-Q2", "2017-Q3", "2017-Q4"]
    assert whole["evaluations"][0]["corrections"] == 1  # the demo's "Salah ketik" correction
    assert whole["financial_realised_rp"] == sum(e["financial_rp"] for e in whole["evaluations"])
    assert whole["financial_realised_rp"] <= whole["pagu_rp"]


def test_merged_activities_show_what_they_were_merged_into(runner: CliRunner) -> None:
    rows = json.loads(runner.invoke(app, ["activity", "list", "-f", "json"]).stdout)
    merged = {r["code"]: r["merged_into"] for r in rows if r["merged_into"]}
    joint = {r["code"] for r in rows if r["is_joint"]}
    assert merged and set(merged.values()) <= joint


def test_filters_narrow_the_lists(runner: CliRunner) -> None:
    def codes(*args: str) -> set[str]:
        result = runner.invoke(app, [*args, "-f", "json"])
        assert result.exit_code == 0, result.output
        return {r["code"] for r in json.loads(result.stdout)}

    everything = codes("activity", "list")
    diskop = codes("activity", "list", "--opd", "diskopukm", "--year", "2017")
    assert diskop and diskop < everything and all(c.startswith("A-DISKOP") for c in diskop)
    assert codes("activity", "list", "--year", "2016") == set()
    assert codes("activity", "list", "--kecamatan", "Nguling") >= {"A-DISKOP-02"}
    assert codes("activity", "list", "--program", "SE-2017")
    assert "M01" in codes("mentor", "list", "--kecamatan", "Lekok")
    done = codes("recommendation", "list", "--status", "done")
    overdue = codes("recommendation", "list", "--status", "overdue")
    assert done and overdue and not done & overdue
    assert codes("recommendation", "list", "--opd", "DPMPTSP") >= {"REK-2017-1-01"}


def test_an_unknown_code_or_filter_is_refused_in_indonesian(runner: CliRunner) -> None:
    missing = runner.invoke(app, ["activity", "show", "NOPE"])
    assert missing.exit_code == 1
    assert missing.stderr.strip() == "Ditolak: Kegiatan 'NOPE' belum terdaftar."
    assert missing.stdout == ""
    wrong = runner.invoke(app, ["recommendation", "list", "--status", "late"])
    assert wrong.exit_code == 1 and "bukan salah satu dari: open, done, overdue" in wrong.stderr
    english = runner.invoke(app, ["--lang", "en", "mentor", "list", "--kecamatan", "Surabaya"])
    assert english.exit_code == 1
    assert english.stderr.startswith("Refused: 'Surabaya' is not a kecamatan")


def test_a_record_is_listed_as_soon_as_it_is_stored(runner: CliRunner) -> None:
    register = ["--user", "admin", "opd", "register", "DISHUB", "--name", "Dinas Perhubungan"]
    added = runner.invoke(app, register)
    assert added.exit_code == 0, added.output
    rows = json.loads(runner.invoke(app, ["opd", "list", "-f", "json"]).stdout)
    assert {"code": "DISHUB", "name": "Dinas Perhubungan", "short_name": "DISHUB"} in rows
