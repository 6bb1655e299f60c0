"""The PostgreSQL recorder monev's write side uses: the library's, plus one check in the write.

``Monev`` runs a command on the aggregates it keeps in memory and hands the write the store
position that memory is valid at (``expected_position``); the write must store nothing if
anyone stored anything since. Without that check a process that read an open quarter could
record an evaluation into it after another process closed it: the evaluation belongs to a
different aggregate, so the store's version check does not see the conflict.

The library's insert first takes ``LOCK TABLE … IN EXCLUSIVE MODE`` (``AppRoleRecorder`` takes
the same lock through the owner's function) and holds it until the commit. Once this
transaction has the lock every earlier writer has committed and no later one can insert, so a
statement that starts after it sees the store's final end. Notification ids come from a
sequence, which a rolled-back insert consumes, so the ids have gaps: "the store has not moved"
is ``max(notification_id) = expected_position``, not "the first new id is one past it". The
check is part of the INSERT itself (``… WHERE (SELECT max …) = %s``), so it costs no extra
round trip: when the store has moved the INSERT inserts no row and this raises
``StoreMovedError``. Nothing is stored; the library's transaction then commits only its
``NOTIFY``, which wakes listeners that find nothing new.

The check needs the library's pipelined insert; with ``POSTGRES_ENABLE_DB_FUNCTIONS`` the
library inserts through a database function that neither locks nor checks, so the recorder
then says it does not check and ``Monev`` falls back to reading before each command.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from domain.errors import StoreMovedError


class PositionCheckedPostgresRecorder(PostgresApplicationRecorder):
    """Refuses a write made on the assumption that the store ends at ``expected_position``."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        names = {
            "schema": Identifier(self.datastore.schema),
            "table": Identifier(self.events_table_name),
            "type": Identifier(self.stored_event_type_name),
        }
        # The library's INSERT (``insert_events_statement``) with the check as its condition.
        self.checked_insert_statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
            "SELECT originator_id, originator_version, topic, state "
            "FROM unnest(%s::{schema}.{type}[]) "
            "WHERE (SELECT coalesce(max(notification_id), 0) FROM {schema}.{table}) = %s "
            "RETURNING notification_id"
        ).format(**names)

    @property
    def checks_expected_position(self) -> bool:
        """``Monev`` relies on the check only when the recorder says it makes it."""
        return not self.datastore.enable_db_functions

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        # Runs first in the library's transaction. A write of no events takes no lock; the
        # store has not moved if what is committed ends where expected (a writer holding the
        # lock now commits after this transaction, as if it had come later).
        expected: int | None = kwargs.get("expected_position")
        if expected is not None and not stored_events:
            curs.execute(self.max_notification_id_statement)
            row = curs.fetchone()
            last = (row["max"] if row else None) or 0
            if last != expected:
                msg = f"The store ends at position {last}, not {expected}."
                raise StoreMovedError(msg)
        super()._insert_events(curs, stored_events, **kwargs)

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        expected: int | None = kwargs.get("expected_position")
        if expected is None:
            super()._insert_stored_events(curs, stored_events, **kwargs)
            return
        self._lock_table(curs)
        self._notify_channel(curs)
        pg_stored_events = [
            self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
            for e in stored_events
        ]
        curs.execute(self.checked_insert_statement, (pg_stored_events, expected), prepare=True)

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        expected: int | None = kwargs.get("expected_position")
        if expected is not None and len(ids or ()) != len(stored_events):
            msg = f"Others stored events after position {expected}; nothing was stored."
            raise StoreMovedError(msg)
        return ids
