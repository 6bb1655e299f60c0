"""The rakor report: `monev report rakor QUARTER` from start to file, on the demo and on 1M events.

Timed as a user waits for it: a fresh `monev` process per run (interpreter start, reading the
warehouse, rendering the charts with vl-convert, laying out with typst or python-docx, writing
the file), the median of a few runs. Targets: under 5 s on the demo's warehouse, under 30 s on
the 1M-event warehouse. The demo's warehouse is built once into bench-data/rakor-demo; the 1M
warehouse is the dashboard benchmark's (``dashboard_pages.prepare``), built once and reused.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from apps.demo import load_demo
from apps.refresh import refresh
from benchmarks.report import Report
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

SECTION = "Rakor report (`monev report rakor`, a fresh process per run)"
ROOT = Path(__file__).resolve().parent.parent
DEMO_HOME = ROOT / "bench-data" / "rakor-demo"
RUNS = 3
DEMO_TARGET, SCALE_TARGET = 5.0, 30.0


def demo_home() -> Settings:
    """The demo story, refreshed once (with its illustrative population) and reused."""
    settings = Settings.from_env({}, home=DEMO_HOME)
    if settings.warehouse_path.exists():
        return settings
    DEMO_HOME.mkdir(parents=True, exist_ok=True)
    app = build_application(settings)
    try:
        load_demo(app)
    finally:
        app.close()
    previous = os.environ.get("MONEV_DEMO_POPULATION")
    os.environ["MONEV_DEMO_POPULATION"] = "true"
    try:
        refresh(settings)
    finally:
        if previous is None:
            os.environ.pop("MONEV_DEMO_POPULATION", None)
        else:
            os.environ["MONEV_DEMO_POPULATION"] = previous
    return settings


def latest_quarter(settings: Settings) -> str:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        row = connection.execute("select max(quarter) from marts.opd_quarter").fetchone()
    if not row or not row[0]:
        msg = f"{settings.warehouse_path} holds no quarter"
        raise RuntimeError(msg)
    return str(row[0])


def time_report(settings: Settings, quarter: str, kind: str) -> tuple[float, float]:
    """Median wall time and CPU time of `monev report rakor` over RUNS fresh processes.

    The CPU time (user + system, the process and its threads) is what the report costs; on a
    machine shared with other work the wall time also holds the wait for a core.
    """
    monev = Path(sys.executable).parent / "monev"
    env = {**os.environ, "MONEV_HOME": str(settings.home), "PYTHONPATH": str(ROOT)}
    times, cpu = [], []
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(RUNS):
            output = Path(scratch) / f"report-{run}.{kind}"
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(
                [str(monev), "report", "rakor", quarter, "--format", kind, "-o", str(output)],
                env=env,
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if output.stat().st_size < 10_000:
                msg = f"the {kind} report of {quarter} is suspiciously small"
                raise RuntimeError(msg)
    return statistics.median(times), statistics.median(cpu)


def _measure(report: Report, label: str, settings: Settings, target: float) -> None:
    quarter = latest_quarter(settings)
    for kind in ("pdf", "docx"):
        seconds, cpu = time_report(settings, quarter, kind)
        name = f"{label}: {quarter}, {kind.upper()}"
        report.add(
            SECTION,
            f"{name}, wall time (median of {RUNS})",
            seconds,
            "s",
            f"< {target:g} s",
            seconds < target,
        )
        report.add(SECTION, f"{name}, CPU time (median of {RUNS})", cpu, "s")
        print(f"[rakor_report] load average now: {os.getloadavg()[0]:.1f}")


def run(report: Report) -> None:
    from benchmarks.dashboard_pages import prepare

    _measure(report, "demo warehouse", demo_home(), DEMO_TARGET)

    _measure(report, "1M-event warehouse", prepare(), SCALE_TARGET)
