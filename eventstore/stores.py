"""Direct, read-mostly access to the events table of either store, beneath the library.

Backup, restore, migration and ``monev doctor`` need what the library does not offer: the
events with their notification ids exactly as stored, a count and a last position read in
one snapshot, and a digest of the whole record to compare two stores by. They read the
library's tables with plain SQL; the table layouts are those of eventsourcing 9.5.6 (pinned):

- SQLite: ``stored_events(originator_id TEXT (uuid hex), originator_version, topic, state)``;
  the notification id is the ``rowid``.
- PostgreSQL: ``<schema>.<app>_events(originator_id uuid, originator_version, topic, state,
  notification_id bigserial)``.

The event's own timestamp lives inside ``state``, so copying rows byte for byte keeps it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import struct
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, cast
from uuid import UUID

from eventsourcing.utils import resolve_topic

from domain.application import Monev
from eventstore.append_only import SQLITE_EVENTS_TABLE, postgres_events_table
from eventstore.fingerprint import Chain

if TYPE_CHECKING:  # psycopg is imported only for a PostgreSQL store
    import psycopg
    from psycopg import sql

PAGE_SIZE = 5000


def events(count: int) -> str:
    """ "1 event", "283 events": for messages people read."""
    return f"{count} event" + ("" if count == 1 else "s")


class StoreOperationError(RuntimeError):
    """A backup, restore or migration refused or failed; the message says why in plain words."""


@dataclass(frozen=True)
class StoredRow:
    """One recorded event as the store holds it."""

    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


@dataclass(frozen=True)
class StoreSummary:
    """How many events a store holds, the last position, and a digest of all of them."""

    event_count: int
    last_position: int
    content_sha256: str | None = None
    # The hash chain's head at last_position (eventstore.fingerprint), hex.
    fingerprint: str | None = None


class ContentDigest:
    """A digest of events in order, the same whichever store they were read from.

    Each row contributes its position, originator id, version, topic and state, length-
    prefixed, so two stores digest equal exactly when they hold the same events under the
    same notification ids.
    """

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self._chain = Chain()
        self.count = 0
        self.last_position = 0

    def add(self, row: StoredRow) -> None:
        topic = row.topic.encode()
        self._hash.update(
            struct.pack(">qq", row.position, row.originator_version)
            + row.originator_id.bytes
            + struct.pack(">I", len(topic))
            + topic
            + struct.pack(">Q", len(row.state))
        )
        self._hash.update(row.state)
        self._chain.add(
            row.position, row.originator_id, row.originator_version, row.topic, row.state
        )
        self.count += 1
        self.last_position = row.position

    def summary(self) -> StoreSummary:
        return StoreSummary(self.count, self.last_position, self._hash.hexdigest(), self._chain.hex)


def summarise(pages: Iterator[list[StoredRow]]) -> StoreSummary:
    digest = ContentDigest()
    for page in pages:
        for row in page:
            digest.add(row)
    return digest.summary()


# -- SQLite ------------------------------------------------------------------------------


def sqlite_connect(path: Path, *, read_only: bool = True) -> sqlite3.Connection:
    """Opens the store file; read-only opening never creates an empty file by mistake."""
    if read_only:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    return sqlite3.connect(path, timeout=30)


def sqlite_has_events_table(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (SQLITE_EVENTS_TABLE,)
    ).fetchone()
    return row is not None


def sqlite_pages(
    conn: sqlite3.Connection, *, after: int = 0, page_size: int = PAGE_SIZE
) -> Iterator[list[StoredRow]]:
    """The events in notification order, a page at a time (run inside one read transaction)."""
    if not sqlite_has_events_table(conn):
        return
    while True:
        rows = conn.execute(
            f"SELECT rowid, originator_id, originator_version, topic, state "
            f"FROM {SQLITE_EVENTS_TABLE} WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after, page_size),
        ).fetchall()
        if not rows:
            return
        yield [
            StoredRow(position, UUID(originator_id), version, topic, bytes(state))
            for position, originator_id, version, topic, state in rows
        ]
        after = rows[-1][0]


def sqlite_count(conn: sqlite3.Connection) -> StoreSummary:
    if not sqlite_has_events_table(conn):
        return StoreSummary(0, 0)
    count, last = conn.execute(
        f"SELECT count(*), coalesce(max(rowid), 0) FROM {SQLITE_EVENTS_TABLE}"
    ).fetchone()
    return StoreSummary(int(count), int(last))


def sqlite_summary(path: Path, *, digest: bool = False) -> StoreSummary:
    """Count and last position (and digest) of a SQLite store; a missing file is empty."""
    if not path.is_file():
        return StoreSummary(0, 0, ContentDigest().summary().content_sha256 if digest else None)
    with closing(sqlite_connect(path)) as conn:
        conn.execute("BEGIN")  # one snapshot for count and digest
        if digest:
            return summarise(sqlite_pages(conn))
        return sqlite_count(conn)


# -- PostgreSQL --------------------------------------------------------------------------


@dataclass(frozen=True)
class PostgresTarget:
    """Where the application's events live in PostgreSQL, and how to connect there."""

    connect_kwargs: Mapping[str, Any]
    schema: str
    table: str

    @classmethod
    def from_settings(cls, postgres: Mapping[str, str], app_name: str = Monev.name) -> Self:
        """Resolves the library's ``POSTGRES_*`` settings as the library itself does."""
        password = postgres.get("POSTGRES_PASSWORD")
        topic = postgres.get("POSTGRES_GET_PASSWORD_TOPIC")
        if topic:
            password = cast("Callable[[], str]", resolve_topic(topic))()
        missing = [
            key
            for key in ("POSTGRES_DBNAME", "POSTGRES_HOST", "POSTGRES_USER")
            if not postgres.get(key)
        ]
        if missing:
            msg = f"PostgreSQL is not configured: set {', '.join(missing)}."
            raise ValueError(msg)
        kwargs = {
            "dbname": postgres["POSTGRES_DBNAME"],
            "host": postgres["POSTGRES_HOST"],
            "port": int(postgres.get("POSTGRES_PORT") or "5432"),
            "user": postgres["POSTGRES_USER"],
            "password": password or "",
            "connect_timeout": int(postgres.get("POSTGRES_CONNECT_TIMEOUT") or "10"),
        }
        schema = (postgres.get("POSTGRES_SCHEMA") or "").strip() or "public"
        return cls(kwargs, schema, postgres_events_table(app_name))

    @property
    def qualified(self) -> sql.Composed:
        from psycopg import sql

        return sql.SQL("{}.{}").format(sql.Identifier(self.schema), sql.Identifier(self.table))

    @property
    def description(self) -> str:
        kwargs = self.connect_kwargs
        return (
            f"postgresql://{kwargs['user']}@{kwargs['host']}:{kwargs['port']}/"
            f"{kwargs['dbname']} ({self.schema}.{self.table})"
        )

    def connect(self, **options: Any) -> psycopg.Connection[tuple[Any, ...]]:
        import psycopg

        return psycopg.connect(**self.connect_kwargs, **options)

    def subprocess_env(self) -> dict[str, str]:
        """libpq's variables for pg_dump and pg_restore: the password never on a command line."""
        kwargs = self.connect_kwargs
        return {
            "PGHOST": str(kwargs["host"]),
            "PGPORT": str(kwargs["port"]),
            "PGUSER": str(kwargs["user"]),
            "PGPASSWORD": str(kwargs["password"]),
            "PGDATABASE": str(kwargs["dbname"]),
            "PGCONNECT_TIMEOUT": str(kwargs["connect_timeout"]),
        }


def postgres_has_events_table(conn: psycopg.Connection[Any], target: PostgresTarget) -> bool:
    row = conn.execute("SELECT to_regclass(%s)", (target.qualified.as_string(conn),)).fetchone()
    return row is not None and row[0] is not None


def postgres_pages(
    conn: psycopg.Connection[Any],
    target: PostgresTarget,
    *,
    after: int = 0,
    page_size: int = PAGE_SIZE,
) -> Iterator[list[StoredRow]]:
    """The events in notification order, a page at a time (run inside one transaction)."""
    from psycopg import sql

    if not postgres_has_events_table(conn, target):
        return
    statement = sql.SQL(
        "SELECT notification_id, originator_id, originator_version, topic, state "
        "FROM {} WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
    ).format(target.qualified)
    while True:
        rows = conn.execute(statement, (after, page_size)).fetchall()
        if not rows:
            return
        yield [
            StoredRow(int(position), _uuid(originator_id), int(version), topic, bytes(state))
            for position, originator_id, version, topic, state in rows
        ]
        after = rows[-1][0]


def _uuid(value: object) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def postgres_count(conn: psycopg.Connection[Any], target: PostgresTarget) -> StoreSummary:
    from psycopg import sql

    if not postgres_has_events_table(conn, target):
        return StoreSummary(0, 0)
    row = conn.execute(
        sql.SQL("SELECT count(*), coalesce(max(notification_id), 0) FROM {}").format(
            target.qualified
        )
    ).fetchone()
    assert row is not None
    return StoreSummary(int(row[0]), int(row[1]))


def postgres_summary(target: PostgresTarget, *, digest: bool = False) -> StoreSummary:
    """Count and last position (and digest) of the PostgreSQL store, in one snapshot."""
    import psycopg

    with target.connect() as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        if digest:
            return summarise(postgres_pages(conn, target))
        return postgres_count(conn, target)
