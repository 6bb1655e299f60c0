"""dbt build of the marts at 10k, 100k and 1M events: full, then incremental after more events.

Each size is a SQLite store made by `monev demo --scale` (apps.demo_scale) and projected into
DuckDB by the real projector; both are kept in bench-data/dbt/ (ignored by git) and reused by
later runs. For each size:

- full: `dbt build` (seeds, models, data tests and dbt unit tests) on a fresh copy of the
  projection, the way `monev refresh` builds its candidate today;
- at 1M, the full build once more without the dbt unit tests (what a refresh that leaves
  them to CI would pay);
- incremental: 1,000 more evaluations are recorded through the commands (replacing earlier
  ones, so they are back-dated by quarter), projected into the same built file, and `dbt build`
  runs again: incremental models take only the new positions, the rest is rebuilt.

dbt runs in its own process, as refresh does. Figures per build: dbt's own elapsed time (what
a warm dbt worker pays), the process's wall time (adds Python and dbt start-up and parsing) and
its CPU time (user + system, DuckDB's threads included), which other processes on a shared
machine disturb far less than elapsed time. The dbt unit tests' node time is reported too: they
check the SQL's logic, not the data, and a production refresh may leave them to CI.
"""

from __future__ import annotations

import functools
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from apps.demo_scale import load_scale
from benchmarks.report import Report
from domain.actors import ADMIN, Actor
from domain.application import Monev
from domain.events import all_event_classes
from eventstore.bootstrap import build_application
from eventstore.settings import Settings
from projections.projector import catch_up

SECTION = "dbt build (DuckDB marts)"
SIZES = (10_000, 100_000, 1_000_000)
NEW_EVALUATIONS = 1_000
TARGET_SECONDS = 40.0  # a 1M-event refresh must finish dbt well under this, on 2 cores
ROOT = Path(__file__).resolve().parent.parent
PROJECT_DIR = ROOT / "dbt_project"
DATA = ROOT / "bench-data" / "dbt"
ADMIN_ACTOR = Actor("admin", ADMIN)


def open_store(settings: Settings) -> Monev:
    """The store for reading only (projection workers)."""
    return Monev(env=settings.application_env())


def prepare(events: int) -> tuple[Monev, Path]:
    """The store of about ``events`` events and its projection; built once, then reused."""
    home = DATA / f"store-{events}"
    settings = Settings.from_env({}, home=home)
    app = build_application(settings)
    if (app.recorder.max_notification_id() or 0) < events:
        # An interrupted build left a partial store: the scale loader starts from nothing.
        app.close()
        shutil.rmtree(home)
        app = build_application(settings)
        print(f"building a store of {events:,} events in {home} (once)")
        load_scale(app, events, progress=True)
    projection = home / "build.duckdb"
    catch_up(
        app,
        projection,
        event_classes=all_event_classes(),
        factory=functools.partial(open_store, settings),
    )
    return app, projection


def dbt_build(database: Path, state: Path, *options: str) -> tuple[float, float, float, float]:
    """(dbt elapsed, process wall time, CPU time, unit tests' node time) of one `dbt build`."""
    env = {
        **os.environ,
        "MONEV_DUCKDB_PATH": str(database),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "DO_NOT_TRACK": "1",
    }
    command = [
        str(Path(sys.executable).with_name("dbt")),
        "build",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(state / "target"),
        "--log-path",
        str(state / "logs"),
        "--quiet",
        *options,
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        msg = f"dbt build failed on {database}:\n{result.stdout[-4000:]}"
        raise RuntimeError(msg)
    run = json.loads((state / "target" / "run_results.json").read_text("utf-8"))
    unit_tests = sum(
        r["execution_time"] for r in run["results"] if r["unique_id"].startswith("unit_test.")
    )
    return float(run["elapsed_time"]), wall, cpu, unit_tests


def record_new_evaluations(app: Monev, count: int) -> None:
    """Re-reports triwulan I of the first synthetic activities (the quarter is still open)."""
    for index in range(count):
        activity = app.get_activity(f"S{index:08d}")
        opd = activity.opd_code
        app.record_evaluation(
            Actor(f"opd-{opd.lower()}", "opd", opd), activity_code=activity.code,
            quarter=f"{activity.fiscal_year}-Q1", physical_pct=30, financial_rp=1_000_000,
            indicator_value=12,
        )  # fmt: skip


def run(report: Report) -> None:
    for events in SIZES:
        # Other processes on the machine slow dbt down as much as the data does: say how busy.
        report.add(SECTION, f"load average before the {events:,} run", os.getloadavg()[0], "")
        app, projection = prepare(events)
        work = DATA / f"work-{events}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        database = work / "warehouse.duckdb"
        shutil.copyfile(projection, database)
        state = work / "dbt"

        elapsed, wall, cpu, unit_tests = dbt_build(database, state)
        met = elapsed < TARGET_SECONDS if events == SIZES[-1] else None
        target = f"< {TARGET_SECONDS:.0f} s" if events == SIZES[-1] else ""
        report.add(SECTION, f"full build, {events:,} events", elapsed, "s", target, met)
        report.add(SECTION, "  process wall time (start-up and parse included)", wall, "s")
        report.add(SECTION, "  process CPU time (user + system)", cpu, "s")
        report.add(SECTION, "  dbt unit tests, node time summed over threads", unit_tests, "s")

        if events == SIZES[-1]:
            shutil.copyfile(projection, database)
            elapsed, wall, cpu, _ = dbt_build(
                database, state, "--exclude-resource-type", "unit_test"
            )
            report.add(SECTION, "full build without the dbt unit tests", elapsed, "s")
            report.add(SECTION, "  process CPU time (user + system)", cpu, "s")

        record_new_evaluations(app, NEW_EVALUATIONS)
        catch_up(app, database, event_classes=all_event_classes())
        elapsed, wall, cpu, _ = dbt_build(database, state)
        report.add(SECTION, f"incremental build, +{NEW_EVALUATIONS:,} evaluations", elapsed, "s")
        report.add(SECTION, "  process wall time", wall, "s")
        report.add(SECTION, "  process CPU time (user + system)", cpu, "s")
        app.close()
