"""Typed event tables derived from the event classes, so no event type needs hand-written DDL.

Every event table starts with the same envelope columns, then one column per field of the
event class in declaration order. The actor is flattened into three columns because every
query that filters or groups by who did something wants them as plain columns.

The library's base fields become envelope columns (``originator_id`` is the aggregate id,
``originator_version`` its version, ``timestamp`` the recording time); ``originator_topic``
names the aggregate class, which the table already implies, so it is left out.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import re
import types
import typing
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

EVENTS_SCHEMA = "events"
EVENT_LOG = "event_log"

# Fields of the library's event base classes: mapped to envelope columns or dropped.
BASE_FIELDS = frozenset({"originator_id", "originator_version", "timestamp", "originator_topic"})
ACTOR_FIELD = "actor"
ACTOR_PARTS = (("actor_user", "user_id"), ("actor_role", "role"), ("actor_opd", "opd_code"))


class UnsupportedFieldError(TypeError):
    """An event field has a type the projection cannot turn into a column."""


@dataclass(frozen=True)
class Column:
    """One column: its DuckDB type, the Arrow type it is staged as, and where its value is.

    ``source`` is an attribute path on the decoded event (``actor.user_id`` for the flattened
    actor). UUIDs travel as 16 bytes in Arrow's UUID extension type, which DuckDB reads as its
    own UUID; formatting them as text would cost more than the rest of the row.
    """

    name: str
    sql_type: str
    arrow_type: pa.DataType
    source: str
    nullable: bool = True

    @property
    def is_uuid(self) -> bool:
        return self.sql_type == "UUID"


TIMESTAMP_ARROW = pa.timestamp("us", tz="UTC")

ENVELOPE: tuple[Column, ...] = (
    Column("position", "BIGINT", pa.int64(), "", nullable=False),
    Column("aggregate_id", "UUID", pa.uuid(), "originator_id", nullable=False),
    Column("aggregate_version", "BIGINT", pa.int64(), "originator_version", nullable=False),
    Column("recorded_at", "TIMESTAMPTZ", TIMESTAMP_ARROW, "timestamp", nullable=False),
)
ACTOR_COLUMNS: tuple[Column, ...] = (
    Column("actor_user", "VARCHAR", pa.string(), "actor.user_id"),
    Column("actor_role", "VARCHAR", pa.string(), "actor.role"),
    Column("actor_opd", "VARCHAR", pa.string(), "actor.opd_code"),
)

# The global log: one row per event of every type, for histories across types.
EVENT_LOG_COLUMNS: tuple[Column, ...] = (
    ENVELOPE[0],
    Column("event_type", "VARCHAR", pa.string(), "", nullable=False),
    Column("event_table", "VARCHAR", pa.string(), "", nullable=False),
    Column("topic", "VARCHAR", pa.string(), "", nullable=False),
    *ENVELOPE[1:],
    *ACTOR_COLUMNS,
)

_SCALARS: dict[type, tuple[str, pa.DataType]] = {
    str: ("VARCHAR", pa.string()),
    bool: ("BOOLEAN", pa.bool_()),
    int: ("BIGINT", pa.int64()),
    float: ("DOUBLE", pa.float64()),
    datetime.datetime: ("TIMESTAMPTZ", TIMESTAMP_ARROW),
    datetime.date: ("DATE", pa.date32()),
    uuid.UUID: ("UUID", pa.uuid()),
}


@dataclass(frozen=True)
class EventTable:
    """Where events of one class go, and the columns they fill."""

    topic: str
    event_type: str
    name: str
    columns: tuple[Column, ...]

    @property
    def qualified_name(self) -> str:
        return f"{EVENTS_SCHEMA}.{quote(self.name)}"

    @property
    def fingerprint(self) -> str:
        """Changes whenever the columns do: a changed table needs a replay, not an ALTER."""
        text = ";".join(f"{c.name}:{c.sql_type}:{c.source}" for c in self.columns)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def create_sql(self) -> str:
        return create_table_sql(self.qualified_name, self.columns)

    def arrow_schema(self) -> pa.Schema:
        return arrow_schema(self.columns)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str | Path) -> str:
    """A SQL string literal (a comment's text, a file's path to ATTACH)."""
    return "'" + str(text).replace("'", "''") + "'"


def create_table_sql(qualified_name: str, columns: Sequence[Column]) -> str:
    """No index on position, though it is unique: the tracking compare-and-set already makes
    a second copy of a page impossible, and DuckDB's index would cost 40% of insert time.
    Rows are stored in position order, so range scans on position prune by zone maps anyway.
    """
    parts = [f"{quote(c.name)} {c.sql_type}{'' if c.nullable else ' NOT NULL'}" for c in columns]
    return f"CREATE TABLE IF NOT EXISTS {qualified_name} ({', '.join(parts)})"


def arrow_schema(columns: Sequence[Column]) -> pa.Schema:
    return pa.schema([pa.field(c.name, c.arrow_type, nullable=c.nullable) for c in columns])


def event_type_name(event_class: type) -> str:
    """The stable name from the explicit topic (``monev:EventName``), else the class name."""
    topic = getattr(event_class, "TOPIC", None)
    if isinstance(topic, str) and topic:
        return topic.rsplit(":", 1)[-1].rsplit(".", 1)[-1]
    return event_class.__qualname__.replace(".", "")


def snake_case(name: str) -> str:
    """ActivityRegistered -> activity_registered; OPDJoined -> opd_joined."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return re.sub(r"\W+", "_", name).strip("_").lower()


def event_topic(event_class: type) -> str:
    """The topic the mapper stores for this class (the explicit TOPIC when there is one)."""
    from eventsourcing.utils import get_topic

    return get_topic(event_class)


def event_table(event_class: type) -> EventTable:
    """Derives the table for an event class from its dataclass fields and type hints."""
    hints = typing.get_type_hints(event_class)
    columns = list(ENVELOPE)
    for field in dataclasses.fields(event_class):
        if field.name in BASE_FIELDS:
            continue
        hint = hints[field.name]
        if field.name == ACTOR_FIELD:
            columns.extend(ACTOR_COLUMNS)
            continue
        try:
            sql_type, arrow_type, nullable = column_type(hint)
        except UnsupportedFieldError as error:
            msg = f"{event_class.__qualname__}.{field.name}: {error}"
            raise UnsupportedFieldError(msg) from None
        columns.append(Column(field.name, sql_type, arrow_type, field.name, nullable=nullable))
    name = event_type_name(event_class)
    return EventTable(
        topic=event_topic(event_class),
        event_type=name,
        name=snake_case(name),
        columns=tuple(columns),
    )


def column_type(hint: Any) -> tuple[str, pa.DataType, bool]:
    """Maps a field annotation to (DuckDB type, Arrow staging type, nullable)."""
    nullable = False
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(members) != 1:
            msg = f"only 'X | None' unions are supported, not {hint}"
            raise UnsupportedFieldError(msg)
        hint, nullable = members[0], True
        origin = typing.get_origin(hint)
    if hint in _SCALARS:
        sql_type, arrow_type = _SCALARS[hint]
        return sql_type, arrow_type, nullable
    if origin in (tuple, list):
        args = [a for a in typing.get_args(hint) if a is not Ellipsis]
        if len(args) == 1 and args[0] in _SCALARS and args[0] is not uuid.UUID:
            sql_type, arrow_type = _SCALARS[args[0]]
            return f"{sql_type}[]", pa.list_(arrow_type), nullable
    msg = f"no column type for {hint!r}"
    raise UnsupportedFieldError(msg)
