"""Publishing: readers only ever see a finished warehouse file, replaced whole by rename.

DuckDB lets no process read a file that another process holds open for writing, so neither the
projection nor dbt ever writes the published file. A refresh builds a candidate
(``.publishing/<name>`` beside the target), stamps it, lets dbt build into it, checkpoints and
closes it, and renames it over the target. A reader that opened the old file keeps reading it
(the rename does not touch an open file); the next one opens the new file. Nothing is ever
half-published: until the rename the target is untouched, and a crashed refresh leaves only a
candidate, which the next refresh deletes.

The candidate starts as one of two copies (``shutil``, so the source is never opened for
writing):

- the published warehouse, when ``base_refusal`` finds nothing against it: a live file of the
  same projection, event store and dbt project. ``append_events`` then adds the events after
  its stamp's ``last_position`` from the projection's file, and dbt rebuilds only what those
  events feed; every other table was built from the same inputs by the same project;
- otherwise the projection's file (``copy_build``), and dbt builds everything from scratch:
  the first refresh, a replay, an ``--as-of`` build, a changed dbt project.

The stamp is one row in ``main.warehouse_meta``, read by the dashboard and by analysts:

======================  ==========================================================================
column                  meaning
======================  ==========================================================================
``data_as_of``          TIMESTAMPTZ (UTC): every event recorded before this moment is in the file
``last_position``       BIGINT: position of the last event projected into the file (0 if none)
``event_count``         BIGINT: number of events in ``events.event_log``
``last_event_at``       TIMESTAMPTZ: when the last event in the file was recorded (NULL if none)
``as_of``               TIMESTAMPTZ: the ``--as-of`` cut-off, NULL for the live warehouse
``published_at``        TIMESTAMPTZ: when the file was finished and published
``event_store``         VARCHAR: ``sqlite`` or ``postgres``
``incremental_from``    BIGINT: NULL if every dbt table was built from scratch in this file;
                        else the ``last_position`` of the published warehouse it was copied
                        from, whose dbt tables it kept: incremental models recompute only what
                        events with a greater position touch
``projection_id``       VARCHAR: the identity of the projection file the events came from
                        (``projection.identity``; a replay makes a new one)
``dbt_digest``          VARCHAR: sha256 of the dbt project's files, the seeds, the variables and
                        settings of the build (``projections.dbt_build.project_digest``)
``fingerprint``         VARCHAR: the event store's hash chain at ``last_position``, hex
                        (``projections.fingerprint``, docs/fingerprint.md); added by the refresh
                        after ``finish``, with ``main.fingerprint_chain`` beside it
``as_of_cutoff``        VARCHAR: an as-of build's cut-off as asked (``rakor:2017-Q2``,
                        ``position:N`` or the time); NULL for the live warehouse
======================  ==========================================================================

Files published before the last three columns existed read as stamps without them, and are
never used as a base.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from projections.database import (
    EVENT_LOG_TABLE,
    PROJECTION_SCHEMA,
    connect,
    database_files,
    has_write_ahead_log,
)
from projections.schema import EVENTS_SCHEMA, literal, quote

STAMP_TABLE = "main.warehouse_meta"
CANDIDATE_DIRECTORY = ".publishing"

_STAMP_DDL = f"""CREATE OR REPLACE TABLE {STAMP_TABLE} (
    data_as_of TIMESTAMPTZ NOT NULL,
    last_position BIGINT NOT NULL,
    event_count BIGINT NOT NULL,
    last_event_at TIMESTAMPTZ,
    as_of TIMESTAMPTZ,
    published_at TIMESTAMPTZ NOT NULL,
    event_store VARCHAR NOT NULL,
    incremental_from BIGINT,
    projection_id VARCHAR,
    dbt_digest VARCHAR)"""

_STAMP_COLUMNS = (
    "data_as_of",
    "last_position",
    "event_count",
    "last_event_at",
    "as_of",
    "published_at",
    "event_store",
    "incremental_from",
    "projection_id",
    "dbt_digest",
)
# Added later: a file published before them lacks them (and is never a base).
_LATER_COLUMNS = frozenset({"incremental_from", "projection_id", "dbt_digest"})
# The projection's file, attached to the candidate while its new events are appended.
_SOURCE_ALIAS = "projection_source"


class PublishError(RuntimeError):
    """The candidate is not a complete, closed database file: it is not published."""


class BaseMismatchError(RuntimeError):
    """The published warehouse's event tables differ from the projection's: build in full."""


@dataclass(frozen=True)
class Stamp:
    data_as_of: datetime
    last_position: int
    event_count: int
    last_event_at: datetime | None
    as_of: datetime | None
    published_at: datetime
    event_store: str
    incremental_from: int | None = None
    projection_id: str | None = None
    dbt_digest: str | None = None


def candidate_for(target: Path) -> Path:
    """Where the next version of ``target`` is built: same file system, so the rename is atomic.

    It keeps the target's file name, in a hidden directory beside it, because DuckDB names a
    database's catalog after its file: views dbt creates refer to that name, and must still
    resolve once the file is renamed into place. A fixed name also keeps dbt's partial-parse
    state valid from one refresh to the next.
    """
    return target.parent / CANDIDATE_DIRECTORY / target.name


def remove_stale_candidates(target: Path) -> None:
    """Deletes what a crashed refresh left behind; call only while holding the refresh lock."""
    discard(candidate_for(target))


def discard(candidate: Path) -> None:
    for file in database_files(candidate):
        file.unlink(missing_ok=True)


def copy_build(build: Path, target: Path) -> Path:
    """Copies the projection's (closed, checkpointed) file to a new candidate for ``target``."""
    return _copy_to_candidate(
        build, target, f"{build} still has a write-ahead log: it was not closed before publishing."
    )


def _copy_to_candidate(source: Path, target: Path, still_open: str) -> Path:
    """A byte copy: a file with a write-ahead log beside it is not all in the one file."""
    if has_write_ahead_log(source):
        raise PublishError(still_open)
    candidate = candidate_for(target)
    candidate.parent.mkdir(parents=True, exist_ok=True)
    discard(candidate)
    shutil.copyfile(source, candidate)
    return candidate


def finish(
    candidate: Path,
    *,
    data_as_of: datetime,
    as_of: datetime | None,
    store: str,
    incremental_from: int | None = None,
    projection_id: str | None = None,
    dbt_digest: str | None = None,
) -> Stamp:
    """Drops the projection's bookkeeping, writes the stamp and leaves the file closed."""
    with connect(candidate) as con:
        con.begin()
        con.execute(f"DROP SCHEMA IF EXISTS {PROJECTION_SCHEMA} CASCADE")
        row = con.execute(
            f"SELECT coalesce(max(position), 0), count(*), max(recorded_at) FROM {EVENT_LOG_TABLE}"
        ).fetchone()
        assert row is not None
        stamp = Stamp(
            data_as_of=data_as_of,
            last_position=int(row[0]),
            event_count=int(row[1]),
            last_event_at=row[2],
            as_of=as_of,
            published_at=datetime.now(UTC),
            event_store=store,
            incremental_from=incremental_from,
            projection_id=projection_id,
            dbt_digest=dbt_digest,
        )
        con.execute(_STAMP_DDL)
        con.execute(
            f"INSERT INTO {STAMP_TABLE} ({', '.join(_STAMP_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in _STAMP_COLUMNS)})",
            [getattr(stamp, column) for column in _STAMP_COLUMNS],
        )
        con.commit()
        con.execute("CHECKPOINT")
    return stamp


def seal(candidate: Path) -> Stamp:
    """Sets the publication time once dbt is done, and proves no process still holds the file.

    Opening for writing fails while another process (a dbt that did not let go) has it open,
    and the checkpoint leaves the whole database in the one file that is renamed.
    """
    try:
        con = connect(candidate)
    except duckdb.IOException as error:
        msg = f"{candidate} is still open in another process: {error}"
        raise PublishError(msg) from error
    with con:
        con.execute(f"UPDATE {STAMP_TABLE} SET published_at = ?", [datetime.now(UTC)])
        con.execute("CHECKPOINT")
        row = con.execute(f"SELECT {', '.join(_STAMP_COLUMNS)} FROM {STAMP_TABLE}").fetchone()
    if row is None:
        msg = f"{candidate} lost its stamp."
        raise PublishError(msg)
    return Stamp(*row)


def publish(candidate: Path, target: Path) -> None:
    """Makes the candidate durable, then atomically replaces the target with it."""
    if has_write_ahead_log(candidate):
        msg = f"{candidate} still has a write-ahead log: some process did not close it."
        raise PublishError(msg)
    with candidate.open("rb") as file:
        os.fsync(file.fileno())
    os.replace(candidate, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def read_stamp(path: Path) -> Stamp | None:
    """The stamp of a published file, opened read-only like every reader; None if absent.

    A file published before ``incremental_from``, ``projection_id`` and ``dbt_digest``
    existed reads with them None.
    """
    if not path.exists():
        return None
    with duckdb.connect(str(path), read_only=True) as con:
        present = {
            name
            for (name,) in con.execute(
                "SELECT column_name FROM duckdb_columns() "
                "WHERE database_name = current_database() AND schema_name = ? AND table_name = ?",
                STAMP_TABLE.split("."),
            ).fetchall()
        }
        if not present:
            return None
        selected = [
            column if column in present or column not in _LATER_COLUMNS else "NULL"
            for column in _STAMP_COLUMNS
        ]
        row = con.execute(f"SELECT {', '.join(selected)} FROM {STAMP_TABLE}").fetchone()
    return None if row is None else Stamp(*row)


# -- building on the published warehouse ---------------------------------------------------


def base_refusal(
    stamp: Stamp | None, *, store: str, projection_id: str, position: int, dbt_digest: str
) -> str | None:
    """Why the published warehouse with ``stamp`` cannot be the base of the next one, or None.

    Equal projection ids and a stamp position at most the projection's mean the published
    event tables are a prefix of the projection's; the same dbt digest means its dbt tables
    were built by this project with these settings. What the stamp cannot vouch for, the
    columns of the event tables, ``append_events`` checks.
    """
    if stamp is None:
        return "no published warehouse"
    if stamp.as_of is not None:
        return f"the published warehouse is an as-of build ({stamp.as_of.isoformat()})"
    if stamp.projection_id is None or stamp.dbt_digest is None:
        return "the published warehouse's stamp predates projection_id and dbt_digest"
    if stamp.event_store != store:
        return f"the published warehouse came from the {stamp.event_store} event store"
    if stamp.projection_id != projection_id:
        return "the published warehouse came from another projection (replayed or new)"
    if stamp.last_position > position:
        return (
            f"the published warehouse is at position {stamp.last_position:,}, "
            f"ahead of the projection at {position:,}"
        )
    if stamp.dbt_digest != dbt_digest:
        return "the dbt project, its seeds or its settings changed"
    return None


def copy_published(published: Path, target: Path) -> Path:
    """Copies the published warehouse to a new candidate for ``target``, never opening it."""
    return _copy_to_candidate(
        published,
        target,
        f"{published} has a write-ahead log: some process has it open for writing.",
    )


def append_events(candidate: Path, build: Path, after: int) -> list[str]:
    """Appends the projection's events with a position after ``after`` to the candidate.

    Set-based, in one transaction: for each table of schema ``events`` in the projection's
    file (attached read-only), one INSERT ... SELECT of its rows after ``after``, in position
    order like the projection stores them; a table the candidate lacks (a new event type) is
    created as the projection has it. Returns the tables that received rows, for dbt to
    rebuild what they feed. Raises ``BaseMismatchError``, adding nothing, if a table the
    candidate has differs in its columns from the projection's, or one it lacks has events
    it should have had: a changed event class replays the projection, whose id then differs
    anyway, but nothing is appended on trust.
    """
    with connect(candidate) as con:
        con.execute(f"ATTACH {literal(build)} AS {_SOURCE_ALIAS} (READ_ONLY)")
        try:
            source = _event_columns(con, _SOURCE_ALIAS)
            present = _event_columns(con, _catalog(con))
            for table, columns in present.items():
                if source.get(table) != columns:
                    msg = (
                        f"events.{table} has other columns in the published warehouse than in "
                        "the projection."
                    )
                    raise BaseMismatchError(msg)
            for table in source.keys() - present.keys():
                # A table the published file lacks must be a new event type, all of whose
                # events come after it; one with earlier events was lost, not new.
                row = con.execute(
                    f"SELECT count(*) FROM {_SOURCE_ALIAS}.{EVENTS_SCHEMA}.{quote(table)} "
                    "WHERE position <= ?",
                    [after],
                ).fetchone()
                if row is not None and int(row[0]) > 0:
                    msg = f"events.{table} is missing from the published warehouse."
                    raise BaseMismatchError(msg)
            changed: list[str] = []
            con.begin()
            try:
                for table, columns in source.items():
                    if table not in present:
                        con.execute(_create_sql(table, columns))
                    names = ", ".join(quote(name) for name, _, _ in columns)
                    row = con.execute(
                        f"INSERT INTO {EVENTS_SCHEMA}.{quote(table)} ({names}) "
                        f"SELECT {names} FROM {_SOURCE_ALIAS}.{EVENTS_SCHEMA}.{quote(table)} "
                        "WHERE position > ? ORDER BY position",
                        [after],
                    ).fetchone()
                    if row is not None and int(row[0]) > 0:
                        changed.append(table)
                con.commit()
            except BaseException:
                con.rollback()
                raise
        finally:
            con.execute(f"DETACH {_SOURCE_ALIAS}")
        con.execute("CHECKPOINT")
    return changed


Columns = tuple[tuple[str, str, bool], ...]  # (name, type, nullable), in table order


def _catalog(con: duckdb.DuckDBPyConnection) -> str:
    row = con.execute("SELECT current_database()").fetchone()
    assert row is not None
    return str(row[0])


def _event_columns(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, Columns]:
    rows = con.execute(
        "SELECT c.table_name, c.column_name, c.data_type, c.is_nullable "
        "FROM duckdb_columns() AS c JOIN duckdb_tables() AS t "
        "USING (database_name, schema_name, table_name) "
        "WHERE c.database_name = ? AND c.schema_name = ? "
        "ORDER BY c.table_name, c.column_index",
        [catalog, EVENTS_SCHEMA],
    ).fetchall()
    tables: dict[str, list[tuple[str, str, bool]]] = {}
    for table, column, data_type, nullable in rows:
        tables.setdefault(table, []).append((column, data_type, bool(nullable)))
    return {table: tuple(columns) for table, columns in tables.items()}


def _create_sql(table: str, columns: Columns) -> str:
    parts = [
        f"{quote(name)} {data_type}{'' if nullable else ' NOT NULL'}"
        for name, data_type, nullable in columns
    ]
    return f"CREATE TABLE {EVENTS_SCHEMA}.{quote(table)} ({', '.join(parts)})"
