"""Commands decided on exactly the state they are appended to, with several writers on one store.

The command line, the dashboard and an import are separate processes writing to one store. A
command reads aggregates, checks its rules against them and appends events, and the store's
per-aggregate version check only protects the aggregates it writes: an evaluation saved to an
activity would not notice that another process closed the quarter (another aggregate) since.

So each command first notes where the store ends, then reads what it needs. The library's
repository fast-forwards every cached aggregate it hands out from the store, so what the
command reads is at least that new. Its write (``Application.save(..., expected_position=…)``,
whose keyword arguments reach ``Recorder.insert_events``) is refused by monev's recorders
(``eventstore.sqlite_recorder``, ``eventstore.postgres_recorder``) with ``StoreMovedError`` if
anything was stored after that position: the write stores nothing and the command runs again,
on newer state. A write that succeeds was therefore decided on exactly the state it follows.

``CommandGuard`` holds that loop and nothing else. The application says where the store ends
(``None`` where the recorder does not check, as in the single-process in-memory store) and how
to forget an aggregate the command may have changed in memory without storing it.
"""

from __future__ import annotations

from collections.abc import Callable
from threading import RLock
from typing import Any, TypeVar
from uuid import UUID

from domain.errors import ConflictError, StoreMovedError

T = TypeVar("T")

# A command whose write keeps finding the store moved (others writing all the time) gives up.
ATTEMPTS = 5


class CommandGuard:
    """Runs commands one at a time, each checked at its write against the store's end."""

    def __init__(self, store_end: Callable[[], int | None], forget: Callable[[UUID], None]) -> None:
        self.store_end = store_end
        self.forget = forget
        self.lock = RLock()
        self.expected: int | None = None  # where the store ended when this command began
        self.read: list[UUID] = []  # aggregates this command read (and may have changed)
        self.running = False

    def run(self, action: Callable[[], T]) -> T:
        """Runs ``action`` as one command; again, on newer state, while the store moves under it.

        A command called from inside another is part of that one. Whatever fails, the
        aggregates the command read are forgotten, so no change it made in memory outlives it.
        """
        with self.lock:
            if self.running:
                return action()
            for attempt in range(1, ATTEMPTS + 1):
                self.read.clear()
                self.running = True
                try:
                    self.expected = self.store_end()
                    return action()
                except StoreMovedError:
                    self.forget_read()
                    if attempt == ATTEMPTS:
                        raise ConflictError(
                            "Others kept changing the records this needs; nothing was stored. "
                            "Please try again."
                        ) from None
                except BaseException:
                    self.forget_read()
                    raise
                finally:
                    self.running = False
                    self.expected = None
            raise AssertionError  # pragma: no cover - the loop returns or raises

    def query(self, action: Callable[[], T]) -> T:
        """Runs a read alone (reads fast-forward, so they need no position)."""
        with self.lock:
            return action()

    def noted(self, aggregate_id: UUID) -> None:
        """Remembers that the running command read this aggregate."""
        if self.running:
            self.read.append(aggregate_id)

    def write_kwargs(self) -> dict[str, Any]:
        """What the running command's save passes to the recorder."""
        if self.running and self.expected is not None:
            return {"expected_position": self.expected}
        return {}

    def forget_read(self) -> None:
        for aggregate_id in self.read:
            self.forget(aggregate_id)
        self.read.clear()
