"""The SQLite recorder monev's write side uses: the library's, plus one check in the write.

A command notes where the store ends before it reads (``domain.concurrency``) and passes that
position to its write as ``expected_position`` (``Application.save`` hands its keyword
arguments to ``insert_events``). The write must store nothing if anyone stored anything since:
otherwise a process that read an open quarter could record an evaluation into it after another
process closed it (the evaluation belongs to another aggregate, so the store's version check
does not see the conflict).

The check runs inside the write transaction, after the insert and before the commit, through
the library's public datastore transaction: SQLite holds the write lock from the first insert
until the commit, so once the rows are in, nobody else can add any, and the rows after
``expected_position`` are exactly this write's when nobody stored anything in between.
Otherwise this raises ``StoreMovedError``; the transaction rolls back (nothing is stored) and
the command runs again on newer state. A write without ``expected_position`` is the library's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

from domain.errors import StoreMovedError
from eventstore.library_version import check_library_version

check_library_version()


class PositionCheckedSQLiteRecorder(SQLiteApplicationRecorder):
    """Refuses a write made on the assumption that the store ends at ``expected_position``."""

    # ``Monev`` passes a position only to a recorder that says it checks it.
    checks_expected_position = True

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        self.count_after_statement = (
            f"SELECT count(*) FROM {self.events_table_name} WHERE rowid > ?"
        )

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        expected: int | None = kwargs.get("expected_position")
        if expected is None:
            return super().insert_events(stored_events, **kwargs)
        ids: list[int] = []
        with self.datastore.transaction(commit=True) as cursor:
            for s in stored_events:
                oid = s.originator_id
                row = (oid.hex if isinstance(oid, UUID) else oid, s.originator_version)
                cursor.execute(self.insert_events_statement, (*row, s.topic, s.state))
                ids.append(cursor.lastrowid)
            cursor.execute(self.count_after_statement, (expected,))
            (after,) = cursor.fetchone()
            if after != len(ids):
                msg = f"Others stored {after - len(ids)} events after position {expected}."
                raise StoreMovedError(msg)
        return ids
