"""The SQLite recorder monev's write side uses: the library's, plus one check in the write.

``Monev`` keeps the aggregates it has read in memory and runs a command against them without
asking the store again, which halves the cost of a command (each read costs about as much as
the commit's fsync). That is only correct if nobody else stored an event since the position
the memory was valid at. So ``Monev.save`` passes that position as ``expected_position`` and
this recorder checks it inside the write transaction, after the insert and before the commit:
SQLite numbers a new row ``max(rowid) + 1`` and holds the write lock until the commit, so the
first inserted rowid is ``expected_position + 1`` exactly when no other connection or process
stored anything in between. Otherwise it raises ``StoreMovedError``; the transaction rolls back
(nothing is stored) and ``Monev`` catches up with the store and runs the command again.

Rowids have no gaps here: a rolled-back insert leaves none, and events are never deleted (the
store refuses it, see ``apps.append_only``). PostgreSQL's notification ids come from a sequence,
which a rolled-back insert does consume, so ``apps.postgres_recorder`` compares the largest id
with ``expected_position`` instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from domain.errors import StoreMovedError


class PositionCheckedSQLiteRecorder(SQLiteApplicationRecorder):
    """Refuses a write made on the assumption that the store ends at ``expected_position``."""

    # ``Monev`` relies on the check only when the recorder says it makes it.
    checks_expected_position = True

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        expected: int | None = kwargs.get("expected_position")
        if expected is None:
            return ids
        if ids:
            first = ids[0]
            last = first - 1
        else:
            last = self._max_notification_id(c) or 0
        if last != expected:
            msg = f"The store ends at position {last}, not {expected}."
            raise StoreMovedError(msg)
        return ids
