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
