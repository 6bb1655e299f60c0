"""Dashboard pages on the 1M-event warehouse: time from navigation to the first KPI, in Chromium.

The warehouse is made the way production makes it: a synthetic store of about a million events
(`monev demo --scale`, reused from the dbt benchmark's store when that one is complete), then
`apps.refresh.refresh` (projection, dbt build, publish). Both are kept in bench-data/ (ignored by
git) and reused by later runs.

The dashboard is started exactly as `monev dashboard` starts it, with public read on, and each
read page is opened in Debian's headless Chromium by its address: the clock runs from
``page.goto`` until the first KPI tile is visible. That is what a reader waits for: a new
browser session, the script run and the warehouse queries. The first visit of each page after
the server starts (cold query cache) is reported on its own; the target (median < 2 s) is for
the visits after it.

A floor is measured the same way: a one-line Streamlit script showing one KPI tile, served with
the same flags. The difference between a page and the floor is what monev's own work costs;
the floor is what Streamlit and the browser cost on this machine at that moment (other
processes on a shared machine raise it most).
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb

from apps.dashboard_server import command, environment
from apps.demo_scale import load_scale
from apps.refresh import refresh
from benchmarks.report import Report
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

SECTION = "Dashboard pages (headless Chromium, 1M-event warehouse)"
EVENTS = 1_000_000
RUNS = 5
TARGET_SECONDS = 2.0
ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / "bench-data" / "dashboard-1m"
DBT_BENCH_STORE = ROOT / "bench-data" / "dbt" / f"store-{EVENTS}" / "events.sqlite"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
KPI = '[data-testid="stMetricValue"]'
PAGES = (
    ("Ringkasan", ""),
    ("Disparitas wilayah", "disparitas"),
    ("Kinerja OPD", "kinerja_opd"),
    ("Rekomendasi & tindak lanjut", "rekomendasi"),
    ("Satrya Emas", "satrya_emas"),
    ("Sinergi", "sinergi"),
    ("Unduh", "unduh"),
)


def _events_in(path: Path) -> int:
    if not path.exists():
        return 0
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        try:
            row = connection.execute("select max(rowid) from stored_events").fetchone()
        except sqlite3.Error:
            return 0
    return int(row[0] or 0)


def _published_position(settings: Settings) -> int:
    if not settings.warehouse_path.exists():
        return 0
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        row = connection.execute("select last_position from main.warehouse_meta").fetchone()
    return int(row[0]) if row else 0


def prepare() -> Settings:
    """The 1M-event store and its published warehouse, built once and reused."""
    settings = Settings.from_env({}, home=HOME)
    HOME.mkdir(parents=True, exist_ok=True)
    if _events_in(settings.sqlite_path) < EVENTS:
        for stale in HOME.iterdir():
            if stale.is_file():
                stale.unlink()
        if _events_in(DBT_BENCH_STORE) >= EVENTS:
            print(f"copying the {EVENTS:,}-event store of the dbt benchmark")
            with (
                sqlite3.connect(f"file:{DBT_BENCH_STORE}?mode=ro", uri=True) as source,
                sqlite3.connect(settings.sqlite_path) as target,
            ):
                source.backup(target)
        else:
            print(f"building a store of {EVENTS:,} events in {HOME} (once)")
            app = build_application(settings)
            try:
                load_scale(app, EVENTS, progress=True)
            finally:
                app.close()
    app = build_application(settings)
    head = app.last_position()
    app.close()
    if _published_position(settings) < head:
        print("refreshing the warehouse (projection, dbt build, publish)")
        print(refresh(settings, progress=True))
    return settings


FLOOR_SCRIPT = 'import streamlit as st\nst.metric("Pagu anggaran", "Rp 6,77 M")\n'


@contextmanager
def _server(settings: Settings, script: Path | None = None) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as scratch:
        port = _free_port()
        settings = replace(settings, dashboard_host="127.0.0.1", dashboard_port=port)
        env = environment(settings)
        env["MONEV_DASHBOARD_PUBLIC_READ"] = "1"
        with open(Path(scratch) / "server.log", "wb") as log:
            args = command(settings)
            if script is not None:
                args[4] = str(script)  # `python -m streamlit run <script> --flags…`
            process = subprocess.Popen(
                args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=scratch
            )
            url = f"http://127.0.0.1:{port}"
            try:
                deadline = time.monotonic() + 90
                while not _healthy(url):
                    if process.poll() is not None or time.monotonic() > deadline:
                        msg = "The dashboard did not start; see its log above."
                        print((Path(scratch) / "server.log").read_text("utf-8", "replace"))
                        raise RuntimeError(msg)
                    time.sleep(0.3)
                yield url
            finally:
                process.terminate()
                process.wait(timeout=30)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def time_to_first_kpi(page: Any, address: str) -> float:
    """Seconds from ``goto`` to the first visible KPI tile.

    The rest of the page is then left to finish (not timed), so the next visit does not share
    the server with the tail of this one: one reader opening one page is what is measured.
    """
    started = time.perf_counter()
    page.goto(address)
    page.locator(KPI).first.wait_for(timeout=120_000)
    elapsed = time.perf_counter() - started
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000
    )
    return elapsed


@contextmanager
def _browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def _median_visit(page: Any, address: str) -> tuple[float, float]:
    """(first visit, median of the next RUNS visits) from navigation to the first KPI."""
    cold = time_to_first_kpi(page, address)
    return cold, statistics.median(time_to_first_kpi(page, address) for _ in range(RUNS))


def run(report: Report) -> None:
    report.add(SECTION, "load average before the run", os.getloadavg()[0], "")
    settings = prepare()
    report.add(SECTION, "events in the warehouse", _published_position(settings), "events")
    with tempfile.TemporaryDirectory() as scratch:
        floor_script = Path(scratch) / "floor.py"
        floor_script.write_text(FLOOR_SCRIPT, "utf-8")
        with _server(settings, floor_script) as url, _browser() as page:
            _, floor = _median_visit(page, url)
        report.add(SECTION, f"floor: one-tile Streamlit script, median of {RUNS}", floor, "s")
    with _server(settings) as url, _browser() as page:
        for title, path in PAGES:
            cold, median = _median_visit(page, f"{url}/{path}")
            report.add(
                SECTION,
                f"{title}: navigation → first KPI, median of {RUNS}",
                median,
                "s",
                f"< {TARGET_SECONDS:.0f} s",
                median < TARGET_SECONDS,
            )
            report.add(SECTION, f"  {title}: first visit after start (cold cache)", cold, "s")
    report.add(SECTION, "load average after the run", os.getloadavg()[0], "")
