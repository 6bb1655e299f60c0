"""The event store's fingerprint: a SHA-256 hash chain over its events in notification order.

``fingerprint(0)`` is 32 zero bytes and ``fingerprint(N) = SHA-256(fingerprint(N-1) ‖
canonical bytes of event N)``, where "event N" is the N-th event in notification order and the
canonical bytes are defined once, here, and documented in ``docs/fingerprint.md``. Since
every step hashes the previous head, the head at position P commits to every event up to P:
a report that prints it can later be proved to come from exactly the history the store still
holds (``monev verify``), and a later head is reached from an earlier one by hashing only the
events in between, so a refresh carries the head forward instead of re-hashing the store.

This module knows only the store: the events come through the ``eventsourcing`` library's
public recorder API (``select_notifications``), which reads SQLite and PostgreSQL alike, or
as rows read beneath it by backup and migration (``eventstore.stores``). What the warehouse
keeps of the chain lives in ``projections.fingerprint``.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import signal
import struct
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Notification

GENESIS = bytes(32)
"""The head before the first event (an empty store's fingerprint)."""

PAGE_SIZE = 10_000

# position (u64), originator id (16 bytes), version (u64), topic length (u32), state length
# (u64); big-endian. The topic's UTF-8 bytes and the state follow.
_HEADER = struct.Struct(">Q16sQIQ")


def originator_bytes(originator_id: UUID | str) -> bytes:
    """The aggregate id as its 16 UUID bytes (the library hands out UUIDs or their text)."""
    return (originator_id if isinstance(originator_id, UUID) else UUID(originator_id)).bytes


def canonical_bytes(
    position: int, originator_id: UUID | str, version: int, topic: str, state: bytes
) -> bytes:
    """The canonical form of one stored event: a fixed-width header (position, originator id,
    version, the lengths of topic and state), then the topic's UTF-8 bytes, then the state as
    stored. The lengths make it unambiguous: no two different events share it."""
    encoded = topic.encode("utf-8")
    header = _HEADER.pack(
        position, originator_bytes(originator_id), version, len(encoded), len(state)
    )
    return header + encoded + state


def step(head: bytes, canonical: bytes) -> bytes:
    """The next head: SHA-256 of the previous head followed by the event's canonical bytes."""
    digest = hashlib.sha256(head)
    digest.update(canonical)
    return digest.digest()


def heads(head: bytes, encoded: Iterable[bytes]) -> list[bytes]:
    """``step`` over events' canonical bytes in order: the head after each of them. Inlined
    (one hash call an event), since the projection and the parallel reader hash every event."""
    sha256 = hashlib.sha256
    found = []
    for canonical in encoded:
        head = sha256(head + canonical).digest()
        found.append(head)
    return found


def notification_bytes(notification: Notification) -> bytes:
    return canonical_bytes(
        notification.id,
        notification.originator_id,
        notification.originator_version,
        notification.topic,
        notification.state,
    )


@dataclass
class Chain:
    """A running head: where the chain stands (``position``) and its value there."""

    head: bytes = GENESIS
    position: int = 0
    count: int = 0

    def add(
        self, position: int, originator_id: UUID | str, version: int, topic: str, state: bytes
    ) -> bytes:
        if position <= self.position:
            msg = f"Position {position} does not follow {self.position}: events out of order."
            raise ValueError(msg)
        self.head = step(self.head, canonical_bytes(position, originator_id, version, topic, state))
        self.position = position
        self.count += 1
        return self.head

    @property
    def hex(self) -> str:
        return self.head.hex()


class HasRecorder(Protocol):
    @property
    def recorder(self) -> ApplicationRecorder: ...


@dataclass(frozen=True)
class Link:
    """One event as the chain saw it: its position, id, version and the head after it."""

    position: int
    originator_id: UUID | str
    originator_version: int
    head: bytes


def links(
    recorder: ApplicationRecorder,
    *,
    after: int = 0,
    upto: int | None = None,
    head: bytes = GENESIS,
    page_size: int = PAGE_SIZE,
    on_page: Callable[[int], None] | None = None,
) -> Iterator[Link]:
    """Extends the chain from ``head`` (the value at position ``after``) over the stored events
    with positions in (after, upto], yielding each event's link in notification order."""
    while True:
        page: Sequence[Notification] = recorder.select_notifications(
            after, page_size, stop=upto, inclusive_of_start=False
        )
        if not page:
            return
        for notification in page:
            head = step(head, notification_bytes(notification))
            yield Link(
                notification.id, notification.originator_id, notification.originator_version, head
            )
        after = page[-1].id
        if on_page is not None:
            on_page(len(page))
        if len(page) < page_size or (upto is not None and after >= upto):
            return


def extend(
    recorder: ApplicationRecorder,
    chain: Chain,
    *,
    upto: int | None = None,
    on_page: Callable[[int], None] | None = None,
) -> Chain:
    """Carries ``chain`` forward over the events after its position (up to ``upto``)."""
    head, position, count = chain.head, chain.position, chain.count
    # The same steps as ``links``, inlined: this loop is what `monev verify` spends its time in.
    pack, sha256, uuid = _HEADER.pack, hashlib.sha256, UUID
    while True:
        page: Sequence[Notification] = recorder.select_notifications(
            position, PAGE_SIZE, stop=upto, inclusive_of_start=False
        )
        if not page:
            break
        for n in page:
            oid = n.originator_id
            topic = n.topic.encode("utf-8")
            state = n.state
            head = sha256(
                head
                + pack(
                    n.id,
                    oid.bytes if isinstance(oid, uuid) else uuid(oid).bytes,
                    n.originator_version,
                    len(topic),
                    len(state),
                )
                + topic
                + state
            ).digest()
        position = page[-1].id
        count += len(page)
        if on_page is not None:
            on_page(len(page))
        if len(page) < PAGE_SIZE or (upto is not None and position >= upto):
            break
    return Chain(head, position, count)


def fingerprint_at(recorder: ApplicationRecorder, position: int | None = None) -> Chain:
    """The head recomputed from the first event up to ``position`` (default: the last)."""
    return extend(recorder, Chain(), upto=position)


# -- reading a large store with more than one core ----------------------------------------------

RecorderFactory = Callable[[], HasRecorder]
"""Opens the store in a worker process; must be picklable (a module-level function or a
``functools.partial`` of one)."""

PARALLEL_FROM = 200_000
"""Below this many events one process is faster: starting the workers costs a second or two."""

_worker_store: HasRecorder | None = None


def _start_worker(factory: RecorderFactory) -> None:
    global _worker_store
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    _worker_store = factory()


def _canonical_range(after: int, upto: int) -> tuple[int, list[bytes]]:
    """The canonical bytes of the events with ids in (after, upto], read in one query: a
    range at most ``upto - after`` ids wide holds at most that many events."""
    assert _worker_store is not None, "worker started without a store"
    page = _worker_store.recorder.select_notifications(
        after, max(1, upto - after), stop=upto, inclusive_of_start=False
    )
    return (page[-1].id if page else after), [notification_bytes(n) for n in page]


def extend_parallel(
    factory: RecorderFactory,
    chain: Chain,
    upto: int,
    *,
    workers: int = 2,
    width: int = PAGE_SIZE,
    on_page: Callable[[int], None] | None = None,
) -> Chain:
    """``extend`` up to ``upto``, with worker processes reading and encoding the events.

    Reading through the library (building its notification objects) is most of the cost;
    hashing is sequential by definition and stays here. Workers read id ranges ``width``
    wide, a few ahead, and this process hashes them in order, so the result is exactly
    ``extend``'s. Workers are spawned, not forked: the caller may hold connections and threads
    a forked child must never inherit.
    """
    head, position, count = chain.head, chain.position, chain.count
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(factory,),
    ) as pool:
        pending: deque[Future[tuple[int, list[bytes]]]] = deque()
        after = position
        while pending or after < upto:
            while after < upto and len(pending) < workers + 2:
                end = min(after + width, upto)
                pending.append(pool.submit(_canonical_range, after, end))
                after = end
            last, encoded = pending.popleft().result()
            if encoded:
                head = heads(head, encoded)[-1]
                position, count = last, count + len(encoded)
            if on_page is not None:
                on_page(len(encoded))
    return Chain(head, position, count)
