"""Read side on the demo store, as a new user meets it: `monev demo`, then `monev refresh`.

Each refresh is a whole `monev` process (interpreter start, imports, the projection, the
build, publish), timed from outside like a user's stopwatch, in a fresh data directory under
bench-data/ (ignored by git). Measured:

- the first `monev refresh` after `monev demo` of a new version of the dbt project: dbt makes
  the project's build plan (the plans kept under dbt_project/target/monev-plans/, a cache, are
  removed first), then the marts are built from it;
- the first `monev refresh` after `monev demo` in another data directory: the plan is made;
- a `monev refresh` after one command (an activity registered: about half the project is
  downstream of its event table);
- a `monev refresh` with nothing new (it publishes nothing: the file must stay the same);
- with `monev refresh --watch` running, seconds from a command's commit to the published stamp
  that includes its event (what the dashboard shows next time it reads), p95 of a dozen.

Beside each elapsed time stands the CPU time of the process and its children: on a shared
2-core machine other jobs stretch elapsed times, CPU times far less.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from benchmarks.report import Report
from domain.actors import ADMIN, Actor
from domain.application import Monev
from eventstore.bootstrap import build_application
from eventstore.settings import Settings
from projections.publish import read_stamp

SECTION = "Read side on the demo store (whole `monev` processes)"
DATA = Path(__file__).resolve().parent.parent / "bench-data" / "refresh-demo"
MONEV = Path(sys.executable).with_name("monev")
PLANS = DATA.parents[1] / "dbt_project" / "target" / "monev-plans"
WATCH_SAMPLES = 12
WATCH_INTERVAL = 0.5
ADMIN_ACTOR = Actor("admin", ADMIN)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_monev(home: Path, *arguments: str) -> tuple[float, float, str]:
    """Elapsed and CPU seconds of one `monev` process (and its children), and its output."""
    env = {**os.environ, "MONEV_HOME": str(home), "PYTHONPATH": str(DATA.parents[1])}
    cpu = children_cpu()
    started = time.perf_counter()
    done = subprocess.run(
        [str(MONEV), *arguments], env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        msg = f"monev {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}"
        raise RuntimeError(msg)
    return elapsed, children_cpu() - cpu, done.stdout


def register_activity(app: Monev, home: Path) -> None:
    """One command a user makes: an activity in a program of the demo."""
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        row = con.execute(
            "SELECT code, opd_code FROM events.program_registered ORDER BY position LIMIT 1"
        ).fetchone()
    assert row is not None, "the demo has no program"
    code = f"BENCH-{time.time_ns()}"
    app.register_activity(
        ADMIN_ACTOR, code=code, program_code=row[0], opd_code=row[1], name=code,
        pagu_rp=100_000_000, indicator_name="Keluaran", indicator_unit="unit",
        indicator_kind="incremental", annual_target=40, quarterly_targets=[10, 10, 10, 10],
    )  # fmt: skip


def watch_latencies(home: Path, app: Monev, command: Callable[[], None]) -> list[float]:
    """Seconds from a command's commit to the published stamp including its event."""
    env = {**os.environ, "MONEV_HOME": str(home), "PYTHONPATH": str(DATA.parents[1])}
    watcher = subprocess.Popen(
        [str(MONEV), "refresh", "--watch", "--interval", str(WATCH_INTERVAL)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    latencies: list[float] = []
    settings = Settings.from_env({}, home=home)
    try:
        time.sleep(3)  # the watcher's start-up (imports, dbt's) is not what is measured
        for sample in range(WATCH_SAMPLES):
            command()
            position = app.recorder.max_notification_id() or 0
            started = time.perf_counter()
            _wait_published(settings, position, 120)
            latencies.append(time.perf_counter() - started)
            time.sleep(WATCH_INTERVAL * (sample % 3) / 2)  # land at different poll phases
    finally:
        watcher.terminate()
        watcher.wait(60)
    return latencies


def _wait_published(settings: Settings, position: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            stamp = read_stamp(settings.warehouse_path)
        except Exception:  # renamed in the instant it was opened: read again
            stamp = None
        if stamp is not None and stamp.last_position >= position:
            return
        time.sleep(0.02)
    msg = f"position {position} not published within {timeout:.0f} s"
    raise TimeoutError(msg)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def run(report: Report) -> None:
    shutil.rmtree(DATA, ignore_errors=True)
    shutil.rmtree(PLANS, ignore_errors=True)
    report.add(SECTION, "load average at start (1 min)", os.getloadavg()[0], "")
    first_home = DATA / "first"
    timed_monev(first_home, "demo")
    seconds, cpu, _ = timed_monev(first_home, "refresh")
    report.add(
        SECTION, "first `monev refresh` of a new dbt project (dbt makes the plan)", seconds, "s"
    )
    report.add(SECTION, "  CPU time (all processes)", cpu, "s")

    home = DATA / "home"
    timed_monev(home, "demo")
    events = read_events(home)
    seconds, cpu, _ = timed_monev(home, "refresh")
    report.add(
        SECTION,
        f"first `monev refresh` ({events} events; the project's plan made)",
        seconds,
        "s",
        "≤ 6 s",
        seconds <= 6,
    )
    report.add(SECTION, "  CPU time (all processes)", cpu, "s")

    app = build_application(Settings.from_env({}, home=home))
    try:
        register_activity(app, home)
        seconds, cpu, _ = timed_monev(home, "refresh")
        report.add(
            SECTION, "`monev refresh` after one command", seconds, "s", "≤ 4 s", seconds <= 4
        )
        report.add(SECTION, "  CPU time (all processes)", cpu, "s")

        before = home.joinpath("warehouse.duckdb").stat()
        seconds, cpu, _ = timed_monev(home, "refresh")
        after = home.joinpath("warehouse.duckdb").stat()
        untouched = (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
        report.add(
            SECTION,
            "`monev refresh` with nothing new (file left as it was)",
            seconds,
            "s",
            "publishes nothing",
            untouched,
        )
        report.add(SECTION, "  CPU time (all processes)", cpu, "s")

        latencies = watch_latencies(home, app, lambda: register_activity(app, home))
    finally:
        app.close()
    report.add(SECTION, "--watch: command to published, median", statistics.median(latencies), "s")
    worst = p95(latencies)
    report.add(SECTION, "--watch: command to published, p95", worst, "s", "≤ 2 s", worst <= 2)
    report.add(SECTION, "load average at end (1 min)", os.getloadavg()[0], "")


def read_events(home: Path) -> int:
    app = build_application(Settings.from_env({}, home=home))
    try:
        return app.recorder.max_notification_id() or 0
    finally:
        app.close()
