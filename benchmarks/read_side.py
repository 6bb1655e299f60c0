"""Read side: projection speed against the store's raw read, full and incremental refresh,
and how long a command takes to reach the published warehouse under `refresh --watch`.

All figures come from one SQLite store of about a million events (built once with
`monev demo --scale` and kept in bench-data/, which is ignored by git), refreshed with the
real dbt project. The raw read rate is the library's own select_notifications over the same
store with the same page size, single-threaded: the cost of merely reading the log.

Beside each elapsed time stands the CPU time it took (user + system, over this process, the
projection's worker processes and the dbt worker): other jobs on a shared 2-core machine
stretch elapsed times several-fold but CPU times far less, so the CPU figures say what the
same work would take on a quiet machine (about CPU time ÷ 2 where both cores are busy).
"""

from __future__ import annotations

import os
import resource
import statistics
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from apps.demo_scale import load_scale
from apps.refresh import watch
from benchmarks.report import Report
from domain.actors import ADMIN, Actor
from domain.application import Monev
from eventstore.bootstrap import build_application
from eventstore.settings import Settings
from projections.projector import PAGE_SIZE
from projections.publish import read_stamp
from projections.refresh import Refresher

SECTION = "Read side (projection, dbt, publish; SQLite store)"
STORE_EVENTS = 1_000_000
INCREMENT = 1_000
WATCH_SAMPLES = 12
WATCH_INTERVAL = 2.0
DATA = Path(__file__).resolve().parent.parent / "bench-data" / "read-side"
ADMIN_ACTOR = Actor("admin", ADMIN)


def prepare_store(home: Path, events: int) -> Monev:
    """Reuses the store from an earlier run when it is big enough; building it takes a minute."""
    app = build_application(Settings.from_env({}, home=home))
    if (app.recorder.max_notification_id() or 0) < events:
        print(f"building a store of {events:,} events in {home} (once)")
        load_scale(app, events - (app.recorder.max_notification_id() or 0), progress=True)
    return app


def raw_read_rate(app: Monev, page: int = PAGE_SIZE) -> float:
    """Events/s of the library's select_notifications alone, in pages, over the whole store."""
    started = time.perf_counter()
    after, count = 0, 0
    while True:
        notifications = app.recorder.select_notifications(after, page, inclusive_of_start=False)
        if not notifications:
            break
        count += len(notifications)
        after = notifications[-1].id
    return count / (time.perf_counter() - started)


def record_commands(app: Monev, events: int) -> int:
    """About ``events`` new events through the domain's commands, as users would add them."""
    stamp = datetime.now(UTC).strftime("%H%M%S%f")
    program = f"BENCH-{stamp}"
    app.register_program(
        ADMIN_ACTOR, code=program, name="Bench", opd_code="OPD00", fiscal_year=2017
    )
    recorded = 1
    index = 0
    while recorded < events:
        code = f"B{stamp}-{index}"
        app.register_activity(
            ADMIN_ACTOR, code=code, program_code=program, opd_code="OPD00", name=code,
            pagu_rp=100_000_000, indicator_name="Keluaran", indicator_unit="unit",
            indicator_kind="incremental", annual_target=40, quarterly_targets=[10, 10, 10, 10],
        )  # fmt: skip
        recorded += 1
        for quarter in range(1, 5):
            if recorded >= events:
                break
            app.record_evaluation(
                ADMIN_ACTOR, activity_code=code, quarter=f"2017-Q{quarter}",
                physical_pct=25 * quarter, financial_rp=20_000_000, indicator_value=10,
            )  # fmt: skip
            recorded += 1
        index += 1
    return recorded


def watch_latencies(settings: Settings, app: Monev, samples: int) -> list[float]:
    """Seconds from a command's commit to the published stamp including its event."""
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=(settings, WATCH_INTERVAL, stop), kwargs={"report": lambda _: None}
    )
    thread.start()
    latencies: list[float] = []
    try:
        _wait_published(settings, app.recorder.max_notification_id() or 0, 600)
        for sample in range(samples):
            app.register_opd(ADMIN_ACTOR, code=f"W{time.time_ns()}", name=f"Dinas {sample}")
            position = app.recorder.max_notification_id() or 0
            started = time.perf_counter()
            _wait_published(settings, position, 300)
            latencies.append(time.perf_counter() - started)
            time.sleep(WATCH_INTERVAL * (sample % 3) / 2)  # land at different poll phases
    finally:
        stop.set()
        thread.join()
    return latencies


def _wait_published(settings: Settings, position: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stamp = read_stamp(settings.warehouse_path)
        if stamp is not None and stamp.last_position >= position:
            return
        time.sleep(0.05)
    msg = f"position {position} not published within {timeout:.0f} s"
    raise TimeoutError(msg)


def cpu_seconds(refresher: Refresher | None = None) -> float:
    """User + system CPU of this process, its finished children (projection workers) and the
    live dbt worker, which only /proc can tell while it runs."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    pid = refresher.dbt_pid if refresher is not None else None
    if pid is not None:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def run(report: Report) -> None:
    home = DATA / "store-1m"
    settings = Settings.from_env({}, home=home)
    app = prepare_store(home, STORE_EVENTS)
    head = app.recorder.max_notification_id() or 0
    # Other work on a 2-core machine halves every figure here; say how busy it was.
    report.add(SECTION, "load average at start (1 min)", os.getloadavg()[0], "")
    cpu = cpu_seconds()
    raw = raw_read_rate(app)
    raw_cpu = head / (cpu_seconds() - cpu)
    report.add(SECTION, f"raw select_notifications ({head:,} events)", raw, "events/s")
    report.add(SECTION, "  per CPU second", raw_cpu, "events/s")

    with Refresher(settings) as refresher:
        cpu = cpu_seconds(refresher)
        full = refresher.refresh(replay=True)
        full_cpu = cpu_seconds(refresher) - cpu
        rate = full.events / full.projection_seconds
        report.add(SECTION, "projection, from the first event", rate, "events/s")
        ratio = rate / raw
        report.add(SECTION, "projection ÷ raw read", ratio, "×", "≥ 0.5×", ratio >= 0.5)
        report.add(
            SECTION, f"marts built after full projection ({full.builder})", full.dbt_seconds, "s"
        )
        total = full.projection_seconds + full.dbt_seconds + full.publish_seconds
        report.add(
            SECTION, f"full refresh of {full.events:,} events", total, "s", "≤ 30 s", total <= 30
        )
        report.add(SECTION, "  CPU time (all processes)", full_cpu, "s")
        record_commands(app, INCREMENT)
        cpu = cpu_seconds(refresher)
        started = time.perf_counter()
        incremental = refresher.refresh()
        seconds = time.perf_counter() - started
        incremental_cpu = cpu_seconds(refresher) - cpu
        report.add(
            SECTION,
            f"incremental refresh after {incremental.events:,} new events",
            seconds,
            "s",
            "≤ 10 s",
            seconds <= 10,
        )
        report.add(
            SECTION, f"  of which the marts ({incremental.builder})", incremental.dbt_seconds, "s"
        )
        report.add(SECTION, "  of which copy, stamp and publish", incremental.publish_seconds, "s")
        report.add(SECTION, "  CPU time (all processes)", incremental_cpu, "s")
        before = settings.warehouse_path.stat()
        started = time.perf_counter()
        again = refresher.refresh()
        seconds = time.perf_counter() - started
        after = settings.warehouse_path.stat()
        untouched = again.unchanged and (before.st_ino, before.st_mtime_ns) == (
            after.st_ino,
            after.st_mtime_ns,
        )
        report.add(
            SECTION,
            "refresh with nothing new (file left as it was)",
            seconds,
            "s",
            "publishes nothing",
            untouched,
        )
    latencies = watch_latencies(settings, app, WATCH_SAMPLES)
    report.add(SECTION, "--watch: command to published, median", statistics.median(latencies), "s")
    worst = p95(latencies)
    report.add(SECTION, "--watch: command to published, p95", worst, "s", "< 10 s", worst < 10)
    report.add(SECTION, "load average at end (1 min)", os.getloadavg()[0], "")
    app.close()
