"""Reads the notification log in pages and decodes each event through the domain's mapper.

Decoding through the mapper (not by parsing the JSON ourselves) is what makes upcasting
apply: an old stored event arrives here in its current shape. It is also most of the cost,
so a large backlog is read and decoded by worker processes, one page each, while the caller
writes finished pages in order. Pages are id ranges, so workers need not know where the
previous page ended, and ids missing from the store (gaps) cost nothing.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, Protocol

from eventsourcing.persistence import ApplicationRecorder, Mapper

from eventstore.fingerprint import notification_bytes
from projections.batch import Page, PageBuilder
from projections.children import exit_with_parent


class EventSource(Protocol):
    """What the projection needs of the application: its recorder and its mapper."""

    @property
    def recorder(self) -> ApplicationRecorder: ...

    @property
    def mapper(self) -> Mapper[Any]: ...


# Must be picklable (a module-level function, or a functools.partial of one) for workers.
SourceFactory = Callable[[], EventSource]


def head_position(source: EventSource) -> int:
    """The store's last notification id; 0 for an empty store."""
    return source.recorder.max_notification_id() or 0


def read_page(source: EventSource, after: int, upto: int, limit: int) -> Page:
    """Decodes at most ``limit`` events with ids in (after, upto].

    A full page ends at its last event (more may follow in the range); a short page means the
    range is exhausted, so tracking may move to ``upto`` even if the ids near it are gaps.
    """
    with _no_cyclic_gc():
        notifications = source.recorder.select_notifications(
            after, limit, stop=upto, inclusive_of_start=False
        )
        builder = PageBuilder()
        builder.add_decoded(notifications, source.mapper.to_domain_event)
        last = notifications[-1].id if len(notifications) >= limit else upto
        page = builder.build(after, last)
        # For the hash chain: encoded here (in the reading process), hashed in order by the
        # writer. A full refresh then need not read the whole store a second time.
        page.positions = [notification.id for notification in notifications]
        page.canonical = [notification_bytes(notification) for notification in notifications]
        return page


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """A page creates hundreds of thousands of acyclic objects (events, their dicts, rows), and
    each few hundred of them would trigger a cyclic collection that finds nothing: a quarter
    of the page's time. Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def sequential_pages(source: EventSource, after: int, upto: int, limit: int) -> Iterator[Page]:
    """Pages in order, read and decoded in this process: best for small backlogs."""
    while after < upto:
        page = read_page(source, after, upto, limit)
        yield page
        after = page.last_position


_worker_source: EventSource | None = None


def _init_worker(factory: SourceFactory) -> None:
    global _worker_source
    # Ctrl-C reaches the whole process group; the parent decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent()
    _worker_source = factory()


def _read_in_worker(after: int, upto: int, limit: int) -> Page:
    assert _worker_source is not None, "worker started without a source"
    return read_page(_worker_source, after, upto, limit)


class ParallelPages:
    """Pages in order, read and decoded by a pool of worker processes.

    Each range is exactly ``limit`` ids wide, so one read covers it whole. At most
    ``workers + 1`` pages are in flight, which bounds memory to a few pages.

    Workers are spawned, not forked: the caller holds DuckDB and store connections (and
    their threads) that a forked child must never inherit.
    """

    def __init__(self, factory: SourceFactory, workers: int) -> None:
        self._workers = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(factory,),
        )
        self._ahead = workers + 1

    def pages(self, after: int, upto: int, limit: int) -> Iterator[Page]:
        pending: deque[Future[Page]] = deque()
        next_after = after
        while pending or next_after < upto:
            while next_after < upto and len(pending) < self._ahead:
                end = min(next_after + limit, upto)
                pending.append(self._workers.submit(_read_in_worker, next_after, end, limit))
                next_after = end
            yield pending.popleft().result()

    def close(self) -> None:
        self._workers.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ParallelPages:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
