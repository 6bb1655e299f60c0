"""The projection's own DuckDB file: typed event tables plus where the projection stands.

Each page's rows and the new tracking position are written in one DuckDB transaction, so a
crash at any moment leaves either the whole page with its position or neither: a restart
resumes exactly where the last commit left off. The position update is a compare-and-set on
the position the page was read from, so a page can never be applied twice or out of order.

Bookkeeping lives in schema ``projection`` (not ``events``), so schema ``events`` holds only
what analysts and dbt read:

- ``projection.tracking(name, last_position, updated_at)``: every event with a position up to
  ``last_position`` is in the event tables, and none after it.
- ``projection.event_tables(table_name, topic, event_type, fingerprint)``: which class each
  table was made from; a changed class (new field, changed type) needs a replay.
- ``projection.fingerprint_chain(position, fingerprint)``: the event store's hash chain
  (``eventstore.fingerprint``) after every projected event, extended in the page's own
  transaction from the bytes the reader encoded, so a full refresh copies it instead of
  reading the whole store again. A file projected before the chain existed has none, and is
  marked so (its chain rows would not start at the first event): refreshes then hash the
  store as before;
- ``projection.identity(projection_id, created_at)``: a uuid made when the file is created. A
  replay starts a new file, so a new id: the refresh stamps it into the warehouse it
  publishes, and equal ids (with the warehouse's position at most the projection's) prove the
  warehouse's event tables are a prefix of the projection's, so a later refresh may build on
  a copy of that warehouse and append only the events after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from eventstore.fingerprint import GENESIS, heads
from projections.batch import Page
from projections.schema import (
    EVENT_LOG,
    EVENT_LOG_COLUMNS,
    EVENTS_SCHEMA,
    Column,
    EventTable,
    create_table_sql,
    quote,
)

PROJECTION_SCHEMA = "projection"

TRACKING_NAME = "events"
EVENT_LOG_TABLE = f"{EVENTS_SCHEMA}.{EVENT_LOG}"

_BOOKKEEPING = (
    f"CREATE SCHEMA IF NOT EXISTS {EVENTS_SCHEMA}",
    f"CREATE SCHEMA IF NOT EXISTS {PROJECTION_SCHEMA}",
    f"""CREATE TABLE IF NOT EXISTS {PROJECTION_SCHEMA}.tracking (
        name VARCHAR PRIMARY KEY,
        last_position BIGINT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL)""",
    f"""INSERT INTO {PROJECTION_SCHEMA}.tracking
        SELECT '{TRACKING_NAME}', 0, now()
        WHERE NOT EXISTS (SELECT 1 FROM {PROJECTION_SCHEMA}.tracking)""",
    f"""CREATE TABLE IF NOT EXISTS {PROJECTION_SCHEMA}.event_tables (
        table_name VARCHAR PRIMARY KEY,
        topic VARCHAR NOT NULL,
        event_type VARCHAR NOT NULL,
        fingerprint VARCHAR NOT NULL)""",
    f"""CREATE TABLE IF NOT EXISTS {PROJECTION_SCHEMA}.identity (
        projection_id VARCHAR NOT NULL,
        created_at TIMESTAMPTZ NOT NULL)""",
    f"""INSERT INTO {PROJECTION_SCHEMA}.identity
        SELECT CAST(uuid() AS VARCHAR), now()
        WHERE NOT EXISTS (SELECT 1 FROM {PROJECTION_SCHEMA}.identity)""",
    create_table_sql(EVENT_LOG_TABLE, EVENT_LOG_COLUMNS),
)
CHAIN_TABLE = f"{PROJECTION_SCHEMA}.fingerprint_chain"
_CHAIN_DDL = f"""CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (
    position BIGINT NOT NULL,
    fingerprint BLOB NOT NULL)"""


class SchemaChangedError(RuntimeError):
    """An event class no longer matches its table: the projection must be replayed."""


# DuckDB has no exception class for a damaged file, only these messages. A process killed while
# DuckDB writes can leave one: once in CI, after a SIGKILL, a projection file's first block
# failed its checksum and the file could not be opened again. (Linux stops a write between
# pages when the process is killed, so a block written in place can be left half new.)
DAMAGE_MESSAGES = (
    "Corrupt database file",
    "Corrupt WAL file",
    "Failure while replaying WAL file",
    "No more data remaining in MetadataReader",
    "Failed to load metadata pointer",
)


def is_damage(error: BaseException) -> bool:
    """True for DuckDB's report of a file it cannot read back (not a lock, space or access)."""
    return isinstance(error, duckdb.Error) and any(m in str(error) for m in DAMAGE_MESSAGES)


class ConcurrentWriteError(RuntimeError):
    """The tracked position moved under us: a page would have been applied twice."""


# DuckDB keeps its write-ahead log beside the file, and since 2.0 a checkpoint or a recovery in
# progress writes logs of its own, which a crash can leave behind. A log left beside a file
# that is then replaced or removed would be replayed into the next file of that name.
WRITE_AHEAD_LOG_SUFFIXES = (".wal", ".wal.checkpoint", ".wal.recovery")


def database_files(path: Path) -> tuple[Path, ...]:
    """The database file and every write-ahead log DuckDB may keep beside it."""
    return (path, *(path.with_name(path.name + suffix) for suffix in WRITE_AHEAD_LOG_SUFFIXES))


def has_write_ahead_log(path: Path) -> bool:
    """True while the file is not complete on its own (open, or left by a crash)."""
    return any(log.exists() for log in database_files(path)[1:])


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """Opens for writing, without the progress bar DuckDB draws on stdout for long statements
    (the refresh has its own, and a watcher's log is no terminal)."""
    con = duckdb.connect(str(path))
    con.execute("SET enable_progress_bar = false")
    return con


@dataclass(frozen=True)
class ProjectionIdentity:
    """Which projection a file holds and how far it stands."""

    projection_id: str
    position: int


def read_identity(path: Path) -> ProjectionIdentity:
    """The identity of a closed projection file, opened read-only."""
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute(
            f"SELECT (SELECT projection_id FROM {PROJECTION_SCHEMA}.identity), "
            f"(SELECT last_position FROM {PROJECTION_SCHEMA}.tracking WHERE name = ?)",
            [TRACKING_NAME],
        ).fetchone()
    assert row is not None and row[0] is not None and row[1] is not None
    return ProjectionIdentity(projection_id=str(row[0]), position=int(row[1]))


def remove_database(path: Path) -> None:
    for file in database_files(path):
        file.unlink(missing_ok=True)


class BuildDatabase:
    """An open connection to the projection's file; use as a context manager."""

    def __init__(self, path: Path) -> None:
        if path.stem in (EVENTS_SCHEMA, PROJECTION_SCHEMA):
            # DuckDB names the catalog after the file; a schema of the same name is ambiguous.
            msg = f"The projection's file cannot be called {path.name}: pick another name."
            raise ValueError(msg)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._con = connect(path)
        self._con.begin()
        for statement in _BOOKKEEPING:
            self._con.execute(statement)
        self._con.execute(_CHAIN_DDL)
        self._con.commit()
        self._known = self._known_tables()
        self.position = self._read_position()
        self._chain_head, self._chain_complete = self._read_chain()

    # -- reading ----------------------------------------------------------------------------

    def _read_position(self) -> int:
        row = self._con.execute(
            f"SELECT last_position FROM {PROJECTION_SCHEMA}.tracking WHERE name = ?",
            [TRACKING_NAME],
        ).fetchone()
        assert row is not None
        return int(row[0])

    def _read_chain(self) -> tuple[bytes, bool]:
        """The chain's head, and whether it covers every projected event (not in a file
        projected before the chain was kept)."""
        rows = self._con.execute(
            f"""SELECT (SELECT count(*) FROM {CHAIN_TABLE}),
                       (SELECT count(*) FROM {EVENT_LOG_TABLE}),
                       (SELECT fingerprint FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1)"""
        ).fetchall()
        chained, logged, head = rows[0]
        return (GENESIS if head is None else bytes(head)), chained == logged

    def _known_tables(self) -> dict[str, tuple[str, str]]:
        rows = self._con.execute(
            f"SELECT table_name, topic, fingerprint FROM {PROJECTION_SCHEMA}.event_tables"
        ).fetchall()
        return {name: (topic, fingerprint) for name, topic, fingerprint in rows}

    # -- writing ----------------------------------------------------------------------------

    def ensure_tables(self, specs: Iterable[EventTable]) -> None:
        """Creates missing tables (empty ones too, so dbt's sources always exist)."""
        self._con.begin()
        try:
            for spec in specs:
                self._ensure_table(spec)
            self._con.commit()
        except BaseException:
            self._con.rollback()
            self._known = self._known_tables()
            raise

    def _ensure_table(self, spec: EventTable) -> None:
        known = self._known.get(spec.name)
        if known == (spec.topic, spec.fingerprint):
            return
        if known is not None:
            topic, _ = known
            if topic != spec.topic:
                msg = f"Table events.{spec.name} holds {topic}; {spec.topic} has the same name."
                raise SchemaChangedError(msg)
            msg = f"Event {spec.event_type} changed shape since events.{spec.name} was built."
            raise SchemaChangedError(msg)
        self._con.execute(spec.create_sql())
        self._con.execute(
            f"INSERT INTO {PROJECTION_SCHEMA}.event_tables VALUES (?, ?, ?, ?)",
            [spec.name, spec.topic, spec.event_type, spec.fingerprint],
        )
        self._known[spec.name] = (spec.topic, spec.fingerprint)

    def write(self, page: Page) -> None:
        """Inserts the page's rows and moves tracking to its end, all in one transaction."""
        if page.after != self.position:
            msg = f"Page starts after {page.after} but the projection stands at {self.position}."
            raise ConcurrentWriteError(msg)
        con = self._con
        con.begin()
        try:
            for spec, table in page.tables:
                self._ensure_table(spec)
                self._insert(spec.qualified_name, spec.columns, table)
            if page.log is not None:
                self._insert(EVENT_LOG_TABLE, EVENT_LOG_COLUMNS, page.log)
            head = self._extend_chain(page)
            row = con.execute(
                f"""UPDATE {PROJECTION_SCHEMA}.tracking
                    SET last_position = ?, updated_at = now()
                    WHERE name = ? AND last_position = ?""",
                [page.last_position, TRACKING_NAME, page.after],
            ).fetchone()
            if row is None or row[0] != 1:
                msg = f"Tracking moved away from {page.after} while a page was written."
                raise ConcurrentWriteError(msg)
            con.commit()
        except BaseException:
            con.rollback()
            self._known = self._known_tables()
            raise
        self.position = page.last_position
        self._chain_head = head

    def _extend_chain(self, page: Page) -> bytes:
        """Appends the page's links to the chain (in the page's transaction); returns the new
        head. Hashing is sequential by definition, so it is done here, in position order."""
        head = self._chain_head
        if not self._chain_complete or page.event_count == 0:
            return head
        if len(page.canonical) != page.event_count:
            # A page made without the bytes (not by read_page): the chain stops here.
            self._chain_complete = False
            return head
        linked = heads(head, page.canonical)
        self._con.register(
            "_chain_rows",
            pa.table(
                {"position": pa.array(page.positions, pa.int64()), "fingerprint": pa.array(linked)}
            ),
        )
        try:
            self._con.execute(f"INSERT INTO {CHAIN_TABLE} SELECT * FROM _chain_rows")
        finally:
            self._con.unregister("_chain_rows")
        return linked[-1]

    def _insert(self, target: str, columns: tuple[Column, ...], table: pa.Table) -> None:
        """One bulk insert from Arrow. Pages arrive sorted by position and DuckDB keeps the
        insertion order, so tables are stored in position order without a sort here."""
        names = ", ".join(quote(c.name) for c in columns)
        self._con.register("_page_rows", table)
        try:
            self._con.execute(f"INSERT INTO {target} ({names}) SELECT {names} FROM _page_rows")
        finally:
            self._con.unregister("_page_rows")

    # -- closing ----------------------------------------------------------------------------

    def close(self) -> None:
        """Checkpoints, so the file is complete on its own and can be copied."""
        try:
            self._con.execute("CHECKPOINT")
        finally:
            self._con.close()

    def __enter__(self) -> BuildDatabase:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
