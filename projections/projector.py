"""Catches the projection up with the event store, page by page, exactly once.

The target is the store's head when catch-up starts, so a busy store cannot keep a refresh
from finishing; later events wait for the next refresh. The moment just before the head is
read is the data's "as of" time: every event committed before it is included.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from projections.batch import Page, table_for
from projections.database import BuildDatabase, SchemaChangedError, is_damage, remove_database
from projections.source import (
    EventSource,
    ParallelPages,
    SourceFactory,
    head_position,
    sequential_pages,
)

PAGE_SIZE = 50_000
# Below this many ids the worker processes' start-up costs more than they save.
PARALLEL_MIN_BACKLOG = 100_000


class StoreBehindError(RuntimeError):
    """The projection is ahead of the store: the store was replaced or restored from backup."""


class CatchUpStoppedError(Exception):
    """Stopping was requested; every page committed so far stays committed."""


@dataclass(frozen=True)
class CatchUp:
    """What one catch-up did. ``head_read_at`` is the data's as-of time."""

    events: int
    seconds: float
    started_from: int
    position: int
    head_read_at: datetime
    replayed_because: str | None = None


ProgressCallback = Callable[[Page, int], None]  # (the page just committed, target position)


def catch_up(
    source: EventSource,
    path: Path,
    *,
    event_classes: Iterable[type] = (),
    factory: SourceFactory | None = None,
    page_size: int = PAGE_SIZE,
    workers: int | None = None,
    on_page: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> CatchUp:
    """Projects every event up to the store's current head into the file at ``path``.

    ``factory`` (picklable) lets worker processes open their own copy of the source for a
    large backlog. If an event class changed shape since its table was made, or DuckDB finds
    the file damaged, the projection is dropped and replayed from the events (it holds
    nothing else), and the result says why.
    """
    classes = tuple(event_classes)
    started = time.perf_counter()
    head_read_at = datetime.now(UTC)
    head = head_position(source)
    replayed: str | None = None
    try:
        start, events = _run(source, path, classes, head, factory, page_size, workers, on_page,
                             should_stop)  # fmt: skip
    except SchemaChangedError as error:
        replayed = str(error)
    except duckdb.Error as error:
        if not is_damage(error):
            raise
        first_line = str(error).splitlines()[0]
        replayed = f"DuckDB found the projection file damaged ({first_line})."
    if replayed is not None:
        remove_database(path)
        start, events = _run(source, path, classes, head, factory, page_size, workers, on_page,
                             should_stop)  # fmt: skip
    return CatchUp(
        events=events,
        seconds=time.perf_counter() - started,
        started_from=start,
        position=max(head, start),
        head_read_at=head_read_at,
        replayed_because=replayed,
    )


def _run(
    source: EventSource,
    path: Path,
    classes: tuple[type, ...],
    head: int,
    factory: SourceFactory | None,
    page_size: int,
    workers: int | None,
    on_page: ProgressCallback | None,
    should_stop: Callable[[], bool] | None,
) -> tuple[int, int]:
    events = 0
    with BuildDatabase(path) as database, ExitStack() as stack:
        database.ensure_tables(table_for(cls) for cls in classes)
        start = database.position
        if start > head:
            msg = (
                f"The warehouse has events up to position {start:,} but the event store ends at "
                f"{head:,}: the store was replaced. Run 'monev rebuild'."
            )
            raise StoreBehindError(msg)
        if start == head:
            return start, 0
        pages: Iterator[Page]
        count = _worker_count(workers, head - start, factory)
        if factory is not None and count > 0:
            parallel = stack.enter_context(ParallelPages(factory, count))
            pages = parallel.pages(start, head, page_size)
        else:
            pages = sequential_pages(source, start, head, page_size)
        for page in pages:
            if should_stop is not None and should_stop():
                raise CatchUpStoppedError
            database.write(page)
            events += page.event_count
            if on_page is not None:
                on_page(page, head)
    return start, events


def _worker_count(workers: int | None, backlog: int, factory: SourceFactory | None) -> int:
    if factory is None:
        return 0
    if workers is not None:
        return workers
    return (os.cpu_count() or 1) if backlog >= PARALLEL_MIN_BACKLOG else 0
