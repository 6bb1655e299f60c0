"""Exactly once: the projector killed with SIGKILL at random moments, then resumed, leaves
every table identical to a rebuild from scratch, on SQLite and on PostgreSQL.

Each run is a fresh process (forked from a forkserver that has the modules loaded, so it
starts quickly) projecting in small pages. It reports each commit, so the kill can land at a
random moment of a random page however fast the machine is: during a page's read, its
insert, its commit, a checkpoint, or start-up. Between kills the store grows,
as it would in production, and the invariant is checked: the tables hold exactly the events up
to the tracked position. At the end one run finishes and the tables are compared with a clean
rebuild by row count and checksum of their ordered content.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import random
import signal
import time
from ctypes import c_longlong
from multiprocessing.process import BaseProcess
from pathlib import Path

import duckdb
import pytest
from test_projection_helpers import (
    fill_store,
    grow_store,
    open_reader,
    open_store,
    sqlite_env,
    table_digests,
)

from domain.application import Monev
from domain.events import all_event_classes
from projections.batch import Page
from projections.database import is_damage, remove_database
from projections.projector import catch_up

KILLS = 22
# Inherited by every process the kill tests start, so orphans can be found afterwards.
MARKER = f"MONEV_KILL_TEST_{os.getpid()}"
os.environ[MARKER] = "1"
PRELOAD = [__name__, "test_projection_helpers", "projections.projector", "duckdb", "pyarrow"]


def _project(
    env: dict[str, str], path: str, page_size: int, workers: int, pages: c_longlong
) -> None:
    """The child: one ordinary catch-up, as `monev refresh` runs it, counting its commits."""

    def committed(page: Page, target: int) -> None:
        pages.value += 1

    catch_up(
        open_store(env),
        Path(path),
        event_classes=all_event_classes(),
        factory=functools.partial(open_reader, env),
        page_size=page_size,
        workers=workers,
        on_page=committed,
    )


def _wait_for_pages(child: BaseProcess, pages: c_longlong, wanted: int) -> float:
    """Waits until the child committed ``wanted`` pages; returns the seconds one page took."""
    started = time.monotonic()
    seen, last_change, page_seconds = 0, started, 0.05
    while child.is_alive() and pages.value < wanted and time.monotonic() - started < 60:
        if pages.value != seen:
            now = time.monotonic()
            if seen:
                page_seconds = (now - last_change) / (pages.value - seen)
            seen, last_change = pages.value, now
        time.sleep(0.002)
    return page_seconds


def _store_ids_upto(app: Monev, position: int) -> int:
    return len(app.recorder.select_notifications(1, 10**9, stop=position))


def _check_invariant(app: Monev, path: Path) -> int | None:
    """The tables hold exactly the events up to the tracked position: no more, no fewer.

    None when DuckDB finds the file damaged (a kill mid-write can tear a block; seen once in
    CI): the projection holds nothing but events, so the next run replays it, and the final
    comparison with a rebuild checks that it did.
    """
    if not path.exists():
        return 0
    try:
        opened = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        if is_damage(error):
            return None
        raise
    with opened as con:
        row = con.execute("SELECT last_position FROM projection.tracking").fetchone()
        position = 0 if row is None else int(row[0])
        logged = con.execute(
            "SELECT count(*), coalesce(max(position), 0) FROM events.event_log"
        ).fetchone()
        tables = [
            name
            for (name,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'events' "
                "AND table_name <> 'event_log'"
            ).fetchall()
        ]
        in_tables = sum(
            int(con.execute(f'SELECT count(*) FROM events."{t}"').fetchone()[0])  # type: ignore[index]
            for t in tables
        )
    assert logged is not None
    assert logged[1] <= position
    assert logged[0] == in_tables == _store_ids_upto(app, position)
    return position


def _kill_and_resume(app: Monev, env: dict[str, str], path: Path, seed: int) -> int:
    """Kills children until KILLS landed, each at a random moment of a random page."""
    rng = random.Random(seed)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    kills = 0
    positions: list[int | None] = []
    while kills < KILLS:
        head = app.recorder.max_notification_id() or 0
        if positions and (positions[-1] or 0) >= head:
            grow_store(app, rng.randint(150, 400))  # the store grows between crashes
        pages = context.Value("q", 0, lock=False)
        workers = 2 if rng.random() < 0.15 else 0
        child = context.Process(
            target=_project, args=(env, str(path), rng.randint(15, 120), workers, pages)
        )
        child.start()
        # Some kills during start-up (0 pages), most inside the work, at any point of a page.
        page_seconds = _wait_for_pages(child, pages, rng.choice([0, 1, 1, 2, 3, 5]))
        child.join(rng.uniform(0, page_seconds * 1.2))
        if child.is_alive():
            assert child.pid is not None
            os.kill(child.pid, signal.SIGKILL)
            child.join()
            kills += 1
        else:
            assert child.exitcode == 0
        positions.append(_check_invariant(app, path))
    # Progress was made between kills, so the kills landed inside the work, not only at start.
    assert len(set(positions) - {None}) > KILLS // 2
    _assert_no_orphans()
    pages = context.Value("q", 0, lock=False)
    final = context.Process(target=_project, args=(env, str(path), 50, 0, pages))
    final.start()
    final.join(120)
    assert final.exitcode == 0
    return kills


def _orphans() -> list[int]:
    """Processes started by these tests whose parent died (re-parented to init)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            environ = (entry / "environ").read_bytes()
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        # Python's helper processes only: a server the suite started daemonises on purpose.
        ours = f"{MARKER}=1".encode() in environ.split(b"\0") and b"multiprocessing" in command
        if ppid == 1 and ours:
            found.append(int(entry.name))
    return found


def _assert_no_orphans(timeout: float = 30) -> None:
    """Workers of a killed projector (and their resource tracker) end with it, not never."""
    deadline = time.monotonic() + timeout
    while _orphans() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _orphans() == []


def _assert_equals_rebuild(env: dict[str, str], path: Path, tmp_path: Path) -> None:
    rebuilt = tmp_path / "rebuilt.duckdb"
    remove_database(rebuilt)
    catch_up(open_store(env), rebuilt, event_classes=all_event_classes())
    resumed, fresh = table_digests(path), table_digests(rebuilt)
    assert resumed == fresh
    assert resumed["event_log"][0] > 500


def test_sigkill_at_random_points_then_resume_equals_rebuild_on_sqlite(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path / "store")
    app = open_store(env)
    fill_store(app, scale=600)
    path = tmp_path / "build.duckdb"
    assert _kill_and_resume(app, env, path, seed=20171) >= 20
    _assert_equals_rebuild(env, path, tmp_path)


@pytest.mark.postgres
def test_sigkill_at_random_points_then_resume_equals_rebuild_on_postgres(
    fresh_postgres_env: dict[str, str], tmp_path: Path
) -> None:
    env = dict(fresh_postgres_env)
    app = open_store(env)
    fill_store(app, scale=600)
    _make_gaps(app)
    path = tmp_path / "build.duckdb"
    assert _kill_and_resume(app, env, path, seed=20172) >= 20
    _make_gaps(app)
    _assert_equals_rebuild(env, path, tmp_path)
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute("SELECT count(*), max(position) FROM events.event_log").fetchone()
    assert row is not None and row[0] < row[1], "the store should have gaps in its ids"


def _make_gaps(app: Monev) -> None:
    """A failed insert still consumes ids from PostgreSQL's sequence: gaps, as in production."""
    from eventsourcing.persistence import IntegrityError

    existing = app.recorder.select_notifications(1, 3)
    for _ in range(3):
        with pytest.raises(IntegrityError):
            app.recorder.insert_events(list(existing))
