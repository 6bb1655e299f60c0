"""The PostgreSQL recorder monev's write side uses: the library's, plus one check in the write.

A command notes where the store ends before it reads (``domain.concurrency``) and passes that
position to its write as ``expected_position``; the write must store nothing if anyone stored
anything since (see ``eventstore.sqlite_recorder`` for why).

Such a write runs in one transaction through the library's public datastore: it first takes
the lock the library's own inserts take (``lock_table_statements``: ``LOCK TABLE … IN
EXCLUSIVE MODE``, or the owner's lock function for the application role), so every earlier
writer has committed and no later one can insert until this commits. A statement run after the
lock sees the store's final end, so "the store has not moved" is ``max(notification_id) =
expected_position`` (the ids come from a sequence and may have gaps, so nothing is inferred from
the new ids). Then it inserts with the library's statement and sends the ``NOTIFY`` its inserts
send, on the channel the library listens on. A write without ``expected_position``, or with the
library's database functions enabled, is the library's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg.sql import SQL, Identifier

from domain.errors import StoreMovedError
from eventstore.library_version import check_library_version

check_library_version()


class PositionCheckedPostgresRecorder(PostgresApplicationRecorder):
    """Refuses a write made on the assumption that the store ends at ``expected_position``."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.notify_statement = SQL("NOTIFY {0}").format(Identifier(self.channel_name))

    @property
    def checks_expected_position(self) -> bool:
        """``Monev`` passes a position only to a recorder that says it checks it."""
        return not self.datastore.enable_db_functions

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        expected: int | None = kwargs.get("expected_position")
        if expected is None or not self.checks_expected_position:
            return super().insert_events(stored_events, **kwargs)
        with self.datastore.transaction(commit=True) as curs:
            for statement in self.lock_table_statements:
                curs.execute(statement, prepare=True)
            curs.execute(self.max_notification_id_statement, prepare=True)
            row = curs.fetchone()
            last = (row["max"] if row else None) or 0
            if last != expected:
                msg = f"The store ends at position {last}, not {expected}."
                raise StoreMovedError(msg)
            if not stored_events:
                return []
            curs.execute(self.notify_statement)
            rows = [
                self.construct_pg_stored_event(
                    e.originator_id, e.originator_version, e.topic, e.state
                )
                for e in stored_events
            ]
            curs.execute(self.insert_events_statement, (rows,), prepare=True)
            return [r["notification_id"] for r in curs.fetchall()]
