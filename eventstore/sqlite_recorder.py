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
store refuses it, see ``eventstore.append_only``). PostgreSQL's notification ids come from a
sequence, which a rolled-back insert does consume, so ``eventstore.postgres_recorder``
compares the largest id with ``expected_position`` instead.

The write bypasses the library's connection pool
-----------------------------------------------
A command is one small write, and the library's way to it cost about twice the raw commit's
own CPU: its pool (locks, bookkeeping, a writer lock), three nested context managers, cursor
wrappers, and a connection whose statement cache holds one statement (``cached_statements=
True``), so the INSERT was compiled again after every ``BEGIN``. Writes here go through one
connection the recorder keeps for them, serialised by a lock as the pool's writer lock
serialises the library's writers; reads still use the pool. Between processes SQLite's own
file lock serialises writers as before (same busy timeout), and a write is still one
``BEGIN`` … ``COMMIT`` whose errors surface as the library's exception types
(``IntegrityError`` for a taken aggregate version). The connection closes with the pool.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from threading import Lock
from typing import Any
from uuid import UUID

from eventsourcing import persistence
from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT,
    SQLiteApplicationRecorder,
    SQLiteCursor,
    SQLiteDatastore,
)

from domain.errors import StoreMovedError

# sqlite3's exceptions and the library's, most specific first (as the library's transactions
# translate them).
_TRANSLATED: tuple[tuple[type[sqlite3.Error], type[persistence.PersistenceError]], ...] = (
    (sqlite3.InterfaceError, persistence.InterfaceError),
    (sqlite3.DataError, persistence.DataError),
    (sqlite3.OperationalError, persistence.OperationalError),
    (sqlite3.IntegrityError, persistence.IntegrityError),
    (sqlite3.InternalError, persistence.InternalError),
    (sqlite3.ProgrammingError, persistence.ProgrammingError),
    (sqlite3.NotSupportedError, persistence.NotSupportedError),
    (sqlite3.DatabaseError, persistence.DatabaseError),
)


def _translate(error: sqlite3.Error) -> persistence.PersistenceError:
    for raised, translated in _TRANSLATED:
        if isinstance(error, raised):
            return translated(error)
    return persistence.PersistenceError(error)


class PositionCheckedSQLiteRecorder(SQLiteApplicationRecorder):
    """Refuses a write made on the assumption that the store ends at ``expected_position``."""

    # ``Monev`` relies on the check only when the recorder says it makes it.
    checks_expected_position = True

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        self._writer: sqlite3.Connection | None = None
        # One cursor for every write: ``Connection.execute`` makes (and registers, and frees)
        # a cursor per statement, which cost about a fifth of a command's three statements.
        self._cursor: sqlite3.Cursor | None = None
        self._writer_lock = Lock()
        self._memory = datastore.pool.is_sqlite_memory_mode
        if not self._memory:
            # The pool's own close (the application's close, or the datastore's __del__)
            # closes the writer too.
            close_pool = datastore.close

            def close() -> None:
                self.close_writer()
                close_pool()

            datastore.close = close  # type: ignore[method-assign]

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if self._memory:
            # An in-memory database exists only on the pool's connections.
            return super().insert_events(stored_events, **kwargs)
        expected: int | None = kwargs.get("expected_position")
        statement = self.insert_events_statement
        with self._writer_lock:
            writer = self._writer or self._open_writer()
            cursor = self._cursor or writer.cursor()
            try:
                cursor.execute("BEGIN")
                try:
                    if len(stored_events) == 1:  # a command's: no lists to build
                        s = stored_events[0]
                        oid = s.originator_id
                        row = (
                            oid.hex if isinstance(oid, UUID) else oid,
                            s.originator_version,
                            s.topic,
                            s.state,
                        )
                        first = cursor.execute(statement, row).lastrowid or 0
                        ids: list[int] = [first]
                        if expected is not None and first - 1 != expected:
                            self._refuse(first - 1, expected)
                    else:
                        ids = self._insert_rows(cursor, stored_events)
                        if expected is not None:
                            self._check(expected, ids, cursor)
                    cursor.execute("COMMIT")
                except BaseException:
                    writer.rollback()
                    raise
            except sqlite3.Error as error:
                raise _translate(error) from error
        return ids

    def _insert_rows(
        self, cursor: sqlite3.Cursor, stored_events: Sequence[StoredEvent]
    ) -> list[int]:
        rows = [
            (
                s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id,
                s.originator_version,
                s.topic,
                s.state,
            )
            for s in stored_events
        ]
        if not rows:
            return []
        # Each row takes max(rowid) + 1 while this transaction holds the write lock, so a
        # batch's ids are consecutive and end at the max.
        cursor.executemany(self.insert_events_statement, rows)
        (last,) = cursor.execute(self.select_max_notification_id_statement).fetchone()
        return list(range(last - len(rows) + 1, last + 1))

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        # The pool's path, which an in-memory database still takes.
        ids = super()._insert_events(c, stored_events, **kwargs)
        expected: int | None = kwargs.get("expected_position")
        if expected is not None:
            self._check(expected, ids or [], c)
        return ids

    def _check(
        self,
        expected: int,
        ids: Sequence[int],
        c: SQLiteCursor | sqlite3.Cursor | sqlite3.Connection,
    ) -> None:
        if ids:
            last = ids[0] - 1
        else:  # a cursor only when needed: a command's write has its ids
            cursor = c.cursor() if isinstance(c, sqlite3.Connection) else c
            cursor.execute(self.select_max_notification_id_statement)
            row = cursor.fetchone()
            last = (row[0] if row else None) or 0
        if last != expected:
            self._refuse(last, expected)

    @staticmethod
    def _refuse(last: int, expected: int) -> None:
        msg = f"The store ends at position {last}, not {expected}."
        raise StoreMovedError(msg)

    def _open_writer(self) -> sqlite3.Connection:
        pool = self.datastore.pool
        try:
            self._writer = sqlite3.connect(
                pool.db_name,
                uri=True,
                check_same_thread=False,  # used under ``_writer_lock`` only
                isolation_level=None,  # transactions are begun and committed explicitly
                timeout=pool.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT,
            )
        except sqlite3.Error as error:
            raise persistence.InterfaceError(error) from error
        self._cursor = self._writer.cursor()
        return self._writer

    def close_writer(self) -> None:
        with self._writer_lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
                self._cursor = None
