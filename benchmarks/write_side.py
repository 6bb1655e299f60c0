"""Write side: commands/s against raw per-commit inserts; scale loading against raw batches.

Both comparisons run on the same machine, in the same directory, with the same SQLite
settings as the library's recorder (WAL, default synchronous), so the ratio says what monev
adds on top of the disk.

Commands and raw per-commit inserts alternate in blocks of ``BLOCK``, each side's time summed
over its blocks: on a shared machine the cost of an fsync swings tenfold within seconds, and
measuring one side after the other compared two different disks.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from pathlib import Path

from apps.demo import load_demo
from apps.demo_scale import load_scale
from benchmarks.report import Report
from domain.actors import ADMIN, Actor
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

SECTION = "Write side (SQLite event store)"
COMMANDS = 2000
BLOCK = 100
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


def _raw_commit(connection: sqlite3.Connection, index: int, state: bytes) -> None:
    connection.execute("BEGIN")
    connection.execute(
        "INSERT INTO stored_events VALUES (?, ?, ?, ?)", (f"id-{index}", 1, "topic", state)
    )
    connection.execute("COMMIT")


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


def command_and_raw_rates(home: Path, raw_path: Path) -> tuple[float, float, bytes]:
    """Records evaluations one command at a time, each its own transaction, alternating with
    raw one-row commits to ``raw_path``; returns commands/s, raw rows/s and a stored state."""
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
    raw = _raw_connection(raw_path)
    state = b""
    command_seconds = raw_seconds = 0.0
    for first in range(0, COMMANDS, BLOCK):
        started = time.perf_counter()
        for index in range(first, first + BLOCK):
            app.record_evaluation(
                admin,
                activity_code=codes[index % len(codes)],
                quarter=f"2018-Q{index % 4 + 1}",
                physical_pct=index % 100,
                financial_rp=1_000_000 + index,
                indicator_value=index % 10,
            )
        command_seconds += time.perf_counter() - started
        if not state:  # the raw rows carry a real evaluation's payload
            state = app.recorder.select_notifications(app.last_position(), 1)[0].state
        started = time.perf_counter()
        for index in range(first, first + BLOCK):
            _raw_commit(raw, index, state)
        raw_seconds += time.perf_counter() - started
    raw.close()
    return COMMANDS / command_seconds, COMMANDS / raw_seconds, state


def scale_rate(home: Path) -> float:
    app = build_application(Settings.from_env({}, home=home))
    started = time.perf_counter()
    stored = load_scale(app, SCALE_EVENTS)
    return stored / (time.perf_counter() - started)


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory(prefix="monev-bench-") as tmp:
        root = Path(tmp)
        report.add(SECTION, "load average at start (1 min)", os.getloadavg()[0], "")
        commands, raw_commit, state = command_and_raw_rates(
            root / "commands", root / "raw-commit.sqlite"
        )
        report.add(SECTION, "raw insert, one commit per row (alternating)", raw_commit, "rows/s")
        report.add(SECTION, "single commands (record evaluation)", commands, "commands/s")
        ratio = commands / raw_commit
        # What monev adds per command whatever the disk: the ratio depends on the fsync's cost.
        added = (1 / commands - 1 / raw_commit) * 1000
        report.add(SECTION, "time a command adds to a raw commit", added, "ms")
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
        report.add(SECTION, "load average at end (1 min)", os.getloadavg()[0], "")
