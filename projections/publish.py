"""Publishing: readers only ever see a finished warehouse file, replaced whole by rename.

DuckDB lets no process read a file that another process holds open for writing, so neither the
projection nor dbt ever writes the published file. A refresh copies the projection's file to a
candidate (``.publishing/<name>`` beside the target), stamps it, lets dbt build into it,
checkpoints and closes it, and renames it over the target. A reader that opened the old file
keeps reading it (the rename does not touch an open file); the next one opens the new file.
Nothing is ever half-published: until the rename the target is untouched, and a crashed
refresh leaves only a candidate, which the next refresh deletes.

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
======================  ==========================================================================
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from projections.database import EVENT_LOG_TABLE, PROJECTION_SCHEMA, connect, database_files
from projections.schema import EVENTS_SCHEMA, quote

STAMP_TABLE = "main.warehouse_meta"
CANDIDATE_DIRECTORY = ".publishing"

_STAMP_DDL = f"""CREATE OR REPLACE TABLE {STAMP_TABLE} (
    data_as_of TIMESTAMPTZ NOT NULL,
    last_position BIGINT NOT NULL,
    event_count BIGINT NOT NULL,
    last_event_at TIMESTAMPTZ,
    as_of TIMESTAMPTZ,
    published_at TIMESTAMPTZ NOT NULL,
    event_store VARCHAR NOT NULL)"""


_STAMP_COLUMNS = (
    "data_as_of, last_position, event_count, last_event_at, as_of, published_at, event_store"
)


class PublishError(RuntimeError):
    """The candidate is not a complete, closed database file: it is not published."""


@dataclass(frozen=True)
class Stamp:
    data_as_of: datetime
    last_position: int
    event_count: int
    last_event_at: datetime | None
    as_of: datetime | None
    published_at: datetime
    event_store: str


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
    if database_files(build)[1].exists():
        msg = f"{build} still has a write-ahead log: it was not closed before publishing."
        raise PublishError(msg)
    candidate = candidate_for(target)
    candidate.parent.mkdir(parents=True, exist_ok=True)
    discard(candidate)
    shutil.copyfile(build, candidate)
    return candidate


def keep_until(candidate: Path, as_of: datetime) -> None:
    """Removes every event recorded after ``as_of`` from the candidate's event tables."""
    with connect(candidate) as con:
        tables = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
            [EVENTS_SCHEMA],
        ).fetchall()
        con.begin()
        for (name,) in tables:
            con.execute(f"DELETE FROM {EVENTS_SCHEMA}.{quote(name)} WHERE recorded_at > ?", [as_of])
        con.commit()
        con.execute("CHECKPOINT")


def finish(candidate: Path, *, data_as_of: datetime, as_of: datetime | None, store: str) -> Stamp:
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
        )
        con.execute(_STAMP_DDL)
        con.execute(
            f"INSERT INTO {STAMP_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                stamp.data_as_of,
                stamp.last_position,
                stamp.event_count,
                stamp.last_event_at,
                stamp.as_of,
                stamp.published_at,
                stamp.event_store,
            ],
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
        row = con.execute(f"SELECT {_STAMP_COLUMNS} FROM {STAMP_TABLE}").fetchone()
    if row is None:
        msg = f"{candidate} lost its stamp."
        raise PublishError(msg)
    return Stamp(*row)


def publish(candidate: Path, target: Path) -> None:
    """Makes the candidate durable, then atomically replaces the target with it."""
    if database_files(candidate)[1].exists():
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
    """The stamp of a published file, opened read-only like every reader; None if absent."""
    if not path.exists():
        return None
    with duckdb.connect(str(path), read_only=True) as con:
        try:
            row = con.execute(f"SELECT {_STAMP_COLUMNS} FROM {STAMP_TABLE}").fetchone()
        except duckdb.CatalogException:
            return None
    return None if row is None else Stamp(*row)
