"""A command pays only for what it uses: which heavy libraries a CLI process loads.

Timing belongs in ``benchmarks/`` (``make bench``); this checks what makes the time, in a
fresh process as a user's shell starts one: ``monev --help`` loads neither the event-sourcing
application nor any database driver, and a command on a SQLite store loads no PostgreSQL
driver, spreadsheet library, numpy, DuckDB or dbt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from apps.demo import demo_users, load_demo
from apps.users import save_users
from domain.actors import ADMIN, Actor
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("psycopg", "openpyxl", "numpy", "duckdb", "dbt", "pandas", "pyarrow", "streamlit")

# Runs `monev ARGS` in this process, then prints the top-level modules it loaded.
RUN = """
import json, sys
from apps.cli.main import app
try:
    app(sys.argv[1:], prog_name="monev")
except SystemExit as stop:
    code = stop.code
else:
    code = 0
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded(args: list[str], home: Path) -> tuple[int, set[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MONEV_HOME": str(home)}
    env.pop("MONEV_EVENT_STORE", None)
    result = subprocess.run(
        [sys.executable, "-c", RUN, *args],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return int(report["code"] or 0), set(report["modules"])


def test_help_loads_no_application_and_no_driver(tmp_path: Path) -> None:
    code, modules = loaded(["--help"], tmp_path)
    assert code == 0
    assert not {m for m in modules if m.split(".")[0] in HEAVY}
    assert "domain.application" not in modules
    assert "eventsourcing.application" not in modules


@pytest.fixture
def demo_home(tmp_path: Path) -> Path:
    load_demo(build_application(Settings.from_env({}, home=tmp_path)))
    save_users(tmp_path / "users.toml", demo_users())
    return tmp_path


def test_a_command_on_sqlite_loads_only_what_it_uses(demo_home: Path) -> None:
    code, modules = loaded(
        ["--user", "admin", "opd", "register", "DISBARU", "--name", "Dinas Baru"], demo_home
    )
    assert code == 0
    assert "domain.application" in modules  # it did run the command
    assert not {m for m in modules if m.split(".")[0] in HEAVY}
    spreadsheets = {m for m in modules if m.startswith("apps.spreadsheets.")}
    assert spreadsheets <= {"apps.spreadsheets.numbers"}  # money parsing, no workbook


@pytest.fixture
def open_quarter_home(demo_home: Path) -> Path:
    """The demo store plus an activity of 2018, whose quarters are open."""
    app = build_application(Settings.from_env({}, home=demo_home))
    admin = Actor("admin", ADMIN)
    app.register_program(admin, code="P-2018", name="P", opd_code="DISKOPUKM", fiscal_year=2018)
    app.register_activity(
        admin, code="A-2018", program_code="P-2018", opd_code="DISKOPUKM", name="A",
        pagu_rp=100_000_000, indicator_name="Keluaran", indicator_unit="unit",
        indicator_kind="incremental", annual_target=40, quarterly_targets=[10, 10, 10, 10],
    )  # fmt: skip
    app.close()
    return demo_home


def test_recording_an_evaluation_loads_only_its_command_and_its_aggregates(
    open_quarter_home: Path,
) -> None:
    """`monev evaluation record`, the benchmark's command (docs/benchmarks.md), builds only its
    own command, loads the two aggregates it touches, and reads `1.000.000` and words its
    result without babel."""
    record = "--user admin evaluation record A-2018 2018-Q1 --physical 5 --financial 1.000.000"
    code, modules = loaded([*record.split(), "--indicator", "3"], open_quarter_home)
    assert code == 0
    assert {"domain.activities", "domain.quarter_reviews"} <= modules  # it did run the command
    # each aggregate has its own module, so the three this command never touches are not created
    assert not {"domain.programs", "domain.problems", "domain.recommendations"} & modules
    assert not {m for m in modules if m.split(".")[0] in (*HEAVY, "babel")}
    assert not {"domain.agencies", "domain.satrya_emas", "domain.events"} & modules
    cli = {m for m in modules if m.startswith("apps.cli.")}
    assert cli == {
        "apps.cli.main",
        "apps.cli.lazy",
        "apps.cli.context",
        "apps.cli.identity",
        "apps.cli.evaluation",
    }
    app = build_application(Settings.from_env({}, home=open_quarter_home))
    activity = app.get_activity("A-2018")
    assert activity.evaluations["2018-Q1"]["financial_rp"] == 1_000_000
