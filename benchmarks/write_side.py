"""Write side: commands/s against raw per-commit inserts; scale loading against raw batches.

Both comparisons run on the same machine, in the same directory, with the same SQLite
settings as the library's recorder (WAL, default synchronous), so the ratio says what monev
adds on top of the disk.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from apps.bootstrap import build_application
from apps.demo import load_demo
from apps.demo_scale import load_scale
from apps.settings import Settings
from benchmarks.report import Report
from domain.actors import ADMIN, Actor

SECTION = "Write side (SQLite event store)"
COMMANDS = 2000
SCALE_EVENTS = 200_000
RAW_TABLE = (
    "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, topic TEXT, "
    "state BLOB, PRIMARY KEY (originator_id, originator_version))"
)


def _raw_connection(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL;")
    connection.execute(RAW_TABLE)
    return connection


def raw_per_commit_rate(path: Path, state: bytes, rows: int) -> float:
    connection = _raw_connection(path)
    started = time.perf_counter()
    for index in range(rows):
        connection.execute("BEGIN")
        connection.execute(
            "INSERT INTO stored_events VALUES (?, ?, ?, ?)", (f"id-{index}", 1, "topic", state)
        )
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return rows / elapsed


def raw_batch_rate(path: Path, state: bytes, rows: int, batch: int = 20_000) -> float:
    connection = _raw_connection(path)
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


def command_rate(home: Path) -> tuple[float, bytes]:
    """Records evaluations one command at a time, each its own transaction."""
    app = build_application(Settings.from_env({}, home=home))
    load_demo(app)
    admin = Actor("admin", ADMIN)
    app.register_program(
        admin, code="BENCH-2018", name="Bench", opd_code="DISKOPUKM", fiscal_year=2018
    )
    codes = [f"BENCH-{i:03d}" for i in range(50)]
    for code in codes:
        app.register_activity(
            admin, code=code, program_code="BENCH-2018", opd_code="DISKOPUKM", name=code,
            pagu_rp=100_000_000, indicator_name="Keluaran", indicator_unit="unit",
            indicator_kind="incremental", annual_target=40, quarterly_targets=[10, 10, 10, 10],
        )  # fmt: skip
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
    elapsed = time.perf_counter() - started
    last = app.recorder.select_notifications(app.last_position(), 1)[0]
    return COMMANDS / elapsed, last.state


def scale_rate(home: Path) -> float:
    app = build_application(Settings.from_env({}, home=home))
    started = time.perf_counter()
    stored = load_scale(app, SCALE_EVENTS)
    return stored / (time.perf_counter() - started)


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory(prefix="monev-bench-") as tmp:
        root = Path(tmp)
        commands, state = command_rate(root / "commands")
        raw_commit = raw_per_commit_rate(root / "raw-commit.sqlite", state, COMMANDS)
        report.add(SECTION, "raw insert, one commit per row", raw_commit, "rows/s")
        report.add(SECTION, "single commands (record evaluation)", commands, "commands/s")
        ratio = commands / raw_commit
        report.add(
            SECTION, "commands ÷ raw per-commit rate", ratio * 100, "%", "≥ 70%", ratio >= 0.7
        )
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
