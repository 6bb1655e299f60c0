"""The fingerprint: `monev verify` over a large store, and what a refresh pays to carry it.

- verify: ``projections.fingerprint.verify_store`` over the whole store (reading every event
  through the library's ``select_notifications`` and hashing it), events/s; target: a
  million events in under 10 s, judged on one core's CPU time (what a quiet machine takes;
  elapsed time on the shared machine is listed beside it). Then as `monev verify` runs it on
  a large store, with two worker processes reading while this one hashes.
- the refresh's share: an incremental refresh carries the published chain and hashes only the
  new events (``projections.fingerprint.stamp`` on a candidate holding the chain of the whole
  store), plus the bytes the chain adds to the file each refresh copies. Compared with the
  incremental refresh of the read-side section (target: under 5% of it).

The store is built once with ``monev demo --scale`` in bench-data/fingerprint (ignored by
git); ``MONEV_BENCH_FINGERPRINT_EVENTS`` sets its size (default a million).
"""

from __future__ import annotations

import functools
import os
import re
import resource
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
from eventsourcing.persistence import ApplicationRecorder

from apps.demo_scale import load_scale
from benchmarks.report import Report
from eventstore.bootstrap import build_application
from eventstore.settings import Settings
from projections.fingerprint import stamp, verify_store
from projections.refresh import open_store

SECTION = "Fingerprint (hash chain; SQLite store)"
DATA = Path(__file__).resolve().parent.parent / "bench-data" / "fingerprint"
INCREMENT = 1_000
DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def _incremental_refresh_cpu_seconds() -> float | None:
    """The CPU time of the read side's incremental refresh (docs/benchmarks.md), if measured."""
    if not DOCS.exists():
        return None
    text = DOCS.read_text(encoding="utf-8")
    start = text.find("| incremental refresh after ")
    found = re.search(r"\|\s+CPU time \(all processes\) \| ([\d.,]+) s", text[start:])
    return None if start < 0 or found is None else float(found.group(1).replace(",", ""))


def run(report: Report) -> None:
    events = int(os.environ.get("MONEV_BENCH_FINGERPRINT_EVENTS", "1000000"))
    settings = Settings.from_env({}, home=DATA)
    app = build_application(settings)
    have = app.recorder.max_notification_id() or 0
    if have < events:
        print(f"building a store of {events:,} events in {DATA} (once)")
        load_scale(app, events - have, progress=True)
    total = app.recorder.max_notification_id() or 0
    report.add(SECTION, "load average before the run", os.getloadavg()[0], "")
    report.add(SECTION, "events in the store", total, "events")

    started, cpu = time.perf_counter(), time.process_time()
    verdict = verify_store(app.recorder, witness=None)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    assert verdict.chain.position == total
    million = 1_000_000 / max(1, verdict.chain.count)
    report.add(
        SECTION, "verify: events hashed per second", verdict.chain.count / seconds, "events/s"
    )
    report.add(SECTION, "verify: elapsed seconds per million events", seconds * million, "s")
    # One process, one thread: its CPU time is what the same work takes on a quiet machine,
    # where elapsed time equals it; on a shared, busy one elapsed time stretches several-fold.
    report.add(
        SECTION,
        "verify: CPU seconds per million events",
        cpu_seconds * million,
        "s",
        "< 10 s",
        cpu_seconds * million < 10,
    )

    # As `monev verify` runs it: worker processes read and encode, this one hashes.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, cpu = time.perf_counter(), time.process_time()
    parallel = verify_store(
        app.recorder, witness=None, factory=functools.partial(open_store, settings)
    )
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert parallel.chain == verdict.chain
    report.add(
        SECTION, "verify with 2 worker processes: elapsed s per million", seconds * million, "s"
    )
    report.add(SECTION, "… CPU s per million in the hashing process", cpu_seconds * million, "s")
    report.add(SECTION, "… CPU s per million in the workers", workers * million, "s")

    # A refresh after INCREMENT new events: the candidate carries the chain of the store before
    # them (as a copy of the published warehouse does) and hashes only the new ones.
    with tempfile.TemporaryDirectory() as scratch:
        candidate = Path(scratch) / "candidate.duckdb"
        _candidate_with_chain(candidate, app.recorder, total)
        size = candidate.stat().st_size
        started, cpu = time.perf_counter(), time.process_time()
        chain = stamp(candidate, app.recorder, carry_from=None, projection_id=None)
        stamp_seconds, stamp_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert chain.position == total and chain.hex == verdict.chain.hex
        copy = Path(scratch) / "copy.duckdb"
        started, cpu = time.perf_counter(), time.process_time()
        shutil.copyfile(candidate, copy)
        copy_seconds, copy_cpu = time.perf_counter() - started, time.process_time() - cpu
    app.close()
    report.add(
        SECTION,
        f"refresh: carry the chain over {INCREMENT:,} new events, elapsed",
        stamp_seconds * 1000,
        "ms",
    )
    report.add(SECTION, "… its CPU time (all threads)", stamp_cpu * 1000, "ms")
    report.add(SECTION, "chain table in the warehouse file", size / 2**20, "MiB")
    report.add(SECTION, "refresh: copying those bytes, elapsed", copy_seconds * 1000, "ms")
    report.add(SECTION, "… its CPU time", copy_cpu * 1000, "ms")
    refresh_cpu = _incremental_refresh_cpu_seconds()
    if refresh_cpu:
        # CPU against CPU: the read side's figure was measured on a quiet machine, this one
        # perhaps on a busy one, where elapsed times stretch several-fold and CPU times not.
        share = 100 * (stamp_cpu + copy_cpu) / refresh_cpu
        report.add(
            SECTION,
            f"fingerprint's share of an incremental refresh's CPU time ({refresh_cpu:.1f} s, "
            "read side)",
            share,
            "%",
            "< 5%",
            share < 5,
        )
    report.add(SECTION, "load average after the run", os.getloadavg()[0], "")


def _candidate_with_chain(candidate: Path, recorder: ApplicationRecorder, total: int) -> None:
    """A stamped candidate at ``total`` whose chain is carried up to ``total - INCREMENT``,
    written the way a refresh writes it."""
    with duckdb.connect(str(candidate)) as con:
        con.execute("CREATE TABLE main.warehouse_meta (last_position BIGINT NOT NULL)")
        con.execute("INSERT INTO main.warehouse_meta VALUES (?)", [total - INCREMENT])
    stamp(candidate, recorder, carry_from=None, projection_id=None)
    with duckdb.connect(str(candidate)) as con:
        con.execute("UPDATE main.warehouse_meta SET last_position = ?", [total])
        con.execute("CHECKPOINT")
