"""``--as-of``: which events an as-of warehouse holds, given as a rakor, a position or a time.

A rakor's report must be rebuildable later exactly as it was, so a cut-off is always resolved
to a *position* in the event store: ``rakor:2017-Q2`` is the position of the event that
recorded that rakor, ``position:N`` is N, and a time is the last event recorded at or before
it. Cutting by position rather than by time is exact even when events share a timestamp, and
it names the file (``warehouse-asof-<position>.duckdb``), so two as-of builds never overwrite
each other. A time without a zone is read as Asia/Jakarta (WIB), the regency's clock, and the
caller says so; a cut-off before every event is refused instead of building an empty warehouse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from domain.errors import InvalidInputError
from projections.database import EVENT_LOG_TABLE, connect
from projections.schema import EVENTS_SCHEMA, quote

JAKARTA = ZoneInfo("Asia/Jakarta")
RAKOR_TABLE = f"{EVENTS_SCHEMA}.rakor_held"
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")


class AsOfError(InvalidInputError):
    """The cut-off cannot be read or lies outside the store.

    A refusal like the domain's: a code (the English wording) and parameters, so the command
    line words it in the reader's language from the same catalogue (``apps/messages``).
    """


@dataclass(frozen=True)
class AsOf:
    """A cut-off as asked for: ``kind`` is ``rakor``, ``position`` or ``time``."""

    kind: str
    text: str
    quarter: str | None = None
    position: int | None = None
    moment: datetime | None = None
    assumed_zone: bool = False

    @property
    def label(self) -> str:
        """Stamped as ``main.warehouse_meta.as_of_cutoff``; the dashboard names the build by it."""
        if self.kind == "rakor":
            return f"rakor:{self.quarter}"
        if self.kind == "position":
            return f"position:{self.position}"
        assert self.moment is not None
        return self.moment.isoformat()


@dataclass(frozen=True)
class Cutoff:
    """A resolved cut-off: the last position kept and the moment it stands for."""

    request: AsOf
    position: int
    moment: datetime


def parse(text: str) -> AsOf:
    """Reads ``rakor:2017-Q2``, ``position:N`` or an ISO date or time (zone optional)."""
    value = text.strip()
    kind, _, rest = value.partition(":")
    if kind.lower() == "rakor" and rest:
        found = _QUARTER.fullmatch(rest.strip().upper())
        if found is None:
            raise AsOfError("'{value}' is not a quarter: write rakor:2017-Q2.", value=rest)
        return AsOf("rakor", value, quarter=found.group(0))
    if kind.lower() == "position" and rest:
        try:
            position = int(rest.strip().replace(",", "").replace("_", ""))
        except ValueError:
            raise AsOfError(
                "'{value}' is not a position: write position:1234.", value=rest
            ) from None
        if position < 1:
            raise AsOfError(
                "position:{position} is before the first event (positions start at 1).",
                position=str(position),  # a token to type back, not a figure
            )
        return AsOf("position", value, position=position)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise AsOfError(
            "'{value}' is not a cut-off: write rakor:2017-Q2, position:N, a date YYYY-MM-DD or "
            "a time YYYY-MM-DDTHH:MM (with +07:00 or Z for its zone).",
            value=text,
        ) from None
    if len(value) == 10:  # a date: the report as it stood at the end of that day
        moment = datetime.combine(moment.date(), time.max)
    assumed = moment.tzinfo is None
    if assumed:
        moment = moment.replace(tzinfo=JAKARTA)
    return AsOf("time", value, moment=moment, assumed_zone=assumed)


def resolve(request: AsOf, projection: Path) -> Cutoff:
    """Finds the cut-off's position in the projection's file (caught up with the store)."""
    with duckdb.connect(str(projection), read_only=True) as con:
        first, last = _bounds(con)
        if last == 0:
            raise AsOfError(
                "The event store has no events yet, so there is nothing to show as of then."
            )
        if request.kind == "rakor":
            position = _rakor_position(con, request.quarter or "")
        elif request.kind == "position":
            assert request.position is not None
            position = request.position
            if position > last:
                raise AsOfError(
                    "position:{position} is after the last event ({last}).",
                    position=str(position),  # a token to type back, not a figure
                    last=last,
                )
            if position < first:
                raise AsOfError(
                    "position:{position} is before the first event ({first}).",
                    position=str(position),  # a token to type back, not a figure
                    first=first,
                )
        else:
            assert request.moment is not None
            row = con.execute(
                f"SELECT max(position), min(recorded_at) FROM {EVENT_LOG_TABLE} "
                "WHERE recorded_at <= ?",
                [request.moment],
            ).fetchone()
            if row is None or row[0] is None:
                first_at = con.execute(f"SELECT min(recorded_at) FROM {EVENT_LOG_TABLE}").fetchone()
                raise AsOfError(
                    "{moment} is before the first event (recorded {first_at}): an as-of build "
                    "would be empty. Pick a later time, a rakor or a position.",
                    moment=request.moment.isoformat(),
                    first_at=_wib(None if first_at is None else first_at[0]),
                )
            position = int(row[0])
        row = con.execute(
            f"SELECT max(position), max(recorded_at) FROM {EVENT_LOG_TABLE} WHERE position <= ?",
            [position],
        ).fetchone()
    assert row is not None and row[0] is not None
    moment = request.moment if request.kind == "time" and request.moment else row[1]
    return Cutoff(request, int(row[0]), moment)


def _bounds(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    row = con.execute(
        f"SELECT coalesce(min(position), 0), coalesce(max(position), 0) FROM {EVENT_LOG_TABLE}"
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _rakor_position(con: duckdb.DuckDBPyConnection, quarter: str) -> int:
    present = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = ? AND table_name = 'rakor_held'",
        [EVENTS_SCHEMA],
    ).fetchone()
    row = (
        con.execute(f"SELECT min(position) FROM {RAKOR_TABLE} WHERE quarter = ?", [quarter])
        if present and present[0]
        else None
    )
    found = None if row is None else row.fetchone()
    if found is None or found[0] is None:
        raise AsOfError("No rakor of {quarter} is recorded in the event store.", quarter=quarter)
    return int(found[0])


def _wib(moment: datetime | None) -> str:
    return "?" if moment is None else moment.astimezone(JAKARTA).strftime("%Y-%m-%d %H:%M WIB")


def keep_upto(candidate: Path, position: int) -> None:
    """Removes every event after ``position`` from the candidate's event tables."""
    with connect(candidate) as con:
        tables = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = ?",
            [EVENTS_SCHEMA],
        ).fetchall()
        con.begin()
        for (name,) in tables:
            con.execute(f"DELETE FROM {EVENTS_SCHEMA}.{quote(name)} WHERE position > ?", [position])
        con.commit()
        con.execute("CHECKPOINT")


def path_for(home: Path, cutoff: Cutoff) -> Path:
    """Where an as-of build is published: named by its cut-off position."""
    return home / f"warehouse-asof-{cutoff.position}.duckdb"
