"""Write side: what a user waits for at the command line, and commands/s in one process.

Every CLI command is a new process, so what a user feels is its wall time: Python starting,
the imports, opening the store, the command. It is reported as a ratio to the wall time of
``python -c "import eventsourcing.application, typer"`` (the least any typer command on the
library can cost), measured in the same run, interleaved, so a busy machine slows both alike.
Targets: ``monev --help`` at most 1.5x, one ``monev evaluation record`` on the demo store at
most 2x. Commands per second through the library's public path in one process are reported
without a target, as is the synthetic scale loading (``monev demo --scale``).

Also measured in the same interleaved runs, without a target: the least any typer command that
takes a value can cost (``FLOOR``: the baseline's imports and a one-argument typer command).
It is why typer is pinned at 0.28: 0.29 converts every parameter it is given (text too) with a
pydantic ``TypeAdapter``, so such a command loaded pydantic and the floor alone was about 2x.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from apps.demo import demo_users, load_demo
from apps.demo_scale import load_scale
from apps.users import save_users
from benchmarks.report import Report
from domain.actors import ADMIN, Actor
from domain.application import Monev
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

SECTION = "Write side (SQLite event store)"
ROOT = Path(__file__).resolve().parent.parent
RUNS = 9  # each CLI measure is the median of this many runs
COMMANDS = 2000
SCALE_EVENTS = 200_000
BASELINE = [sys.executable, "-c", "import eventsourcing.application, typer"]
FLOOR = [
    sys.executable,
    "-c",
    "import eventsourcing.application, typer\n"
    "app = typer.Typer()\n"
    "app.command()(lambda name: None)\n"
    "app(['x'])",
]
RAW_TABLE = (
    "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, topic TEXT, "
    "state BLOB, PRIMARY KEY (originator_id, originator_version))"
)


def monev_command() -> list[str]:
    """`monev` as a user runs it: the console script beside this Python, else the module."""
    script = Path(sys.executable).with_name("monev")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from apps.cli.main import app; app(prog_name='monev')"]


def prepare_store(home: Path) -> Monev:
    """The demo store, its users, and 2018 activities whose quarters are still open."""
    app = build_application(Settings.from_env({}, home=home))
    load_demo(app)
    save_users(home / "users.toml", demo_users())
    admin = Actor("admin", ADMIN)
    app.register_program(
        admin, code="BENCH-2018", name="Bench", opd_code="DISKOPUKM", fiscal_year=2018
    )
    for code in activity_codes():
        app.register_activity(
            admin, code=code, program_code="BENCH-2018", opd_code="DISKOPUKM", name=code,
            pagu_rp=100_000_000, indicator_name="Keluaran", indicator_unit="unit",
            indicator_kind="incremental", annual_target=40, quarterly_targets=[10, 10, 10, 10],
        )  # fmt: skip
    return app


def activity_codes() -> list[str]:
    return [f"BENCH-{i:03d}" for i in range(50)]


def _wall(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=env["MONEV_HOME"], check=True, capture_output=True)
    return time.perf_counter() - started


def cli_wall_times(home: Path) -> tuple[float, float, float, float]:
    """Median wall seconds of the baseline, `monev --help`, one `evaluation record` and the
    floor, interleaved run by run."""
    env = {**os.environ, "MONEV_HOME": str(home), "PYTHONPATH": str(ROOT)}
    env.pop("MONEV_EVENT_STORE", None)
    # An installed monev has its bytecode (pip compiles it); without it every run would compile
    # each monev module again, so the first run below must be allowed to write it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    monev = monev_command()
    baseline, help_, record, floor = [], [], [], []
    for run in range(RUNS + 1):
        evaluate = [
            *monev, "--user", "admin", "evaluation", "record", "BENCH-000", "2018-Q1",
            "--physical", str(run % 100), "--financial", "1.000.000", "--indicator", "3",
        ]  # fmt: skip
        times = (
            _wall(BASELINE, env),
            _wall([*monev, "--help"], env),
            _wall(evaluate, env),
            _wall(FLOOR, env),
        )
        if run:  # the first run warms the file cache and the bytecode
            for series, seconds in zip((baseline, help_, record, floor), times, strict=True):
                series.append(seconds)
    return tuple(statistics.median(s) for s in (baseline, help_, record, floor))  # type: ignore[return-value]


def command_rate(app: Monev) -> float:
    """Evaluations recorded one command (one transaction) at a time, in this process."""
    admin = Actor("admin", ADMIN)
    codes = activity_codes()
    started = time.perf_counter()
    for index in range(COMMANDS):
        app.record_evaluation(
            admin,
            activity_code=codes[index % len(codes)],
            quarter=f"2018-Q{index % 4 + 1}",
            physical_pct=index % 100,
            financial_rp=1_000_000 + index,
            indicator_value=index % 10,
        )
    return COMMANDS / (time.perf_counter() - started)


def scale_rate(home: Path) -> float:
    app = build_application(Settings.from_env({}, home=home))
    started = time.perf_counter()
    stored = load_scale(app, SCALE_EVENTS)
    return stored / (time.perf_counter() - started)


def raw_batch_rate(path: Path, state: bytes, rows: int, batch: int = 20_000) -> float:
    """The same rows inserted with plain sqlite3, 20,000 a transaction: the disk's share."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL;")
    connection.execute(RAW_TABLE)
    started = time.perf_counter()
    for first in range(0, rows, batch):
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO stored_events VALUES (?, ?, ?, ?)",
            ((f"id-{i}", 1, "topic", state) for i in range(first, min(rows, first + batch))),
        )
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return rows / elapsed


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory(prefix="monev-bench-") as tmp:
        root = Path(tmp)
        report.add(SECTION, "load average at start (1 min)", os.getloadavg()[0], "")
        home = root / "demo"
        app = prepare_store(home)
        baseline, help_, record, floor = cli_wall_times(home)
        report.add(SECTION, "python -c 'import eventsourcing.application, typer'", baseline, "s")
        report.add(SECTION, "monev --help", help_, "s")
        report.add(
            SECTION,
            "monev --help ÷ baseline",
            help_ / baseline,
            "x",
            "≤ 1.5",
            help_ <= 1.5 * baseline,
        )
        report.add(SECTION, "monev evaluation record (demo store)", record, "s")
        report.add(
            SECTION,
            "monev evaluation record ÷ baseline",
            record / baseline,
            "x",
            "≤ 2",
            record <= 2 * baseline,
        )
        report.add(SECTION, "floor: a one-argument typer command", floor, "s")
        report.add(SECTION, "floor ÷ baseline", floor / baseline, "x")
        commands = command_rate(app)
        report.add(
            SECTION, "single commands in one process (record evaluation)", commands, "commands/s"
        )
        state = app.recorder.select_notifications(app.last_position(), 1)[0].state
        app.close()
        scale = scale_rate(root / "scale")
        raw_batch = raw_batch_rate(root / "raw-batch.sqlite", state, SCALE_EVENTS)
        report.add(SECTION, "raw batch insert (20,000 rows a transaction)", raw_batch, "rows/s")
        report.add(
            SECTION,
            f"demo --scale {SCALE_EVENTS:,}",
            scale,
            "events/s",
            "≥ 20,000",
            scale >= 20_000,
        )
        report.add(SECTION, "scale loading ÷ raw batch insert", scale / raw_batch * 100, "%")
        report.add(SECTION, "load average at end (1 min)", os.getloadavg()[0], "")
