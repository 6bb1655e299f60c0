"""Turns decoded events into Arrow tables, one per event table plus the event log.

Per-event Python is what limits the projection's speed, and most of it is memory traffic:
touching 20,000 event objects a second time, after decoding, misses the CPU cache on every
field. So each event's row is taken out right after it is decoded, by one generated function
per event class (a tuple of dict look-ups, no per-field Python call), and the rows are turned
into columns in C at the end of the page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from operator import attrgetter
from typing import Any

import pyarrow as pa

from projections.schema import ACTOR_COLUMNS, EVENT_LOG_COLUMNS, Column, EventTable, event_table

_EVENT_LOG_SCHEMA = pa.schema([pa.field(c.name, c.arrow_type) for c in EVENT_LOG_COLUMNS])

Row = tuple[Any, ...]


@dataclass
class Page:
    """The events with positions in (after, last_position], ready to insert.

    ``last_position`` is where tracking moves once this page is committed; it may lie beyond
    the last event in the page, because ids missing from the store (gaps) are skipped too.
    """

    after: int
    last_position: int
    event_count: int = 0
    tables: list[tuple[EventTable, pa.Table]] = field(default_factory=list)
    log: pa.Table | None = None
    # Each event's position and canonical bytes (eventstore.fingerprint), in position order:
    # what the projection's hash chain is extended with, read while the page was.
    positions: list[int] = field(default_factory=list)
    canonical: list[bytes] = field(default_factory=list)


@cache
def table_for(event_class: type) -> EventTable:
    return event_table(event_class)


@dataclass(frozen=True)
class _Extractor:
    """Takes one event's row: fast from its ``__dict__``, or by attribute as a fallback."""

    fast: Callable[[dict[str, Any]], Row]
    columns: tuple[Column, ...]

    def __call__(self, event: Any) -> Row:
        try:
            return self.fast(event.__dict__)
        except (KeyError, AttributeError):
            # A field missing from the stored state falls back to the class default.
            return tuple(_value(event, column) for column in self.columns)


def _value(event: Any, column: Column) -> Any:
    value = attrgetter(column.source)(event)
    if column.is_uuid and value is not None:
        value = (value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))).bytes
    return value


@cache
def extractor_for(spec: EventTable) -> _Extractor:
    """Generates ``lambda d: (d['originator_id'].bytes, d['originator_version'], ...)``.

    Sources are dataclass field names and fixed actor attributes (identifiers, checked), and
    keys are written with repr, so the generated code can only ever read the event.
    """
    columns = spec.columns[1:]  # position comes from the notification
    expressions = []
    for column in columns:
        key, _, attribute = column.source.partition(".")
        if not key.isidentifier() or (attribute and not attribute.isidentifier()):
            msg = f"Unexpected column source {column.source!r}"
            raise ValueError(msg)
        expression = f"d[{key!r}]" + (f".{attribute}" if attribute else "")
        if column.is_uuid:
            expression = f"(None if {expression} is None else {expression}.bytes)"
        expressions.append(expression)
    fast = eval(f"lambda d: ({', '.join(expressions)},)", {"__builtins__": {}})
    return _Extractor(fast=fast, columns=columns)


@dataclass
class _Group:
    spec: EventTable
    extract: _Extractor
    positions: list[int] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


class PageBuilder:
    """Collects (position, event) pairs of one page, grouped by event class."""

    def __init__(self) -> None:
        self._groups: dict[type, _Group] = {}
        self.count = 0

    def add(self, position: int, event: Any) -> None:
        group = self._group(type(event))
        group.positions.append(position)
        group.rows.append(group.extract(event))
        self.count += 1

    def add_decoded(self, notifications: Sequence[Any], decode: Callable[[Any], Any]) -> None:
        """``add`` for a whole page, with the per-event work inlined: this loop runs for every
        event the projection ever sees, and each Python call in it shows in events/s."""
        groups = self._groups
        for notification in notifications:
            event = decode(notification)
            group = groups.get(event.__class__) or self._group(event.__class__)
            group.positions.append(notification.id)
            try:
                row = group.extract.fast(event.__dict__)
            except (KeyError, AttributeError):
                row = group.extract(event)
            group.rows.append(row)
        self.count += len(notifications)

    def _group(self, event_class: type) -> _Group:
        group = self._groups.get(event_class)
        if group is None:
            spec = table_for(event_class)
            group = self._groups[event_class] = _Group(spec, extractor_for(spec))
        return group

    def build(self, after: int, last_position: int) -> Page:
        page = Page(after=after, last_position=last_position, event_count=self.count)
        logs: list[pa.Table] = []
        for group in self._groups.values():
            table, log = _convert(group.spec, group.positions, group.rows)
            page.tables.append((group.spec, table))
            logs.append(log)
        if logs:
            # In position order, so the log is stored in order and DuckDB need not sort it.
            page.log = pa.concat_tables(logs).sort_by("position") if len(logs) > 1 else logs[0]
        return page


def _convert(spec: EventTable, positions: list[int], rows: list[Row]) -> tuple[pa.Table, pa.Table]:
    values = list(zip(*rows, strict=True))
    arrays = [pa.array(positions, pa.int64())]
    arrays += [
        pa.array(column_values, column.arrow_type)
        for column, column_values in zip(spec.columns[1:], values, strict=True)
    ]
    table = pa.Table.from_arrays(arrays, schema=spec.arrow_schema())
    count = len(positions)
    missing = pa.nulls(count, pa.string())
    log_arrays = [
        table.column("position"),
        pa.repeat(pa.scalar(spec.event_type, pa.string()), count),
        pa.repeat(pa.scalar(spec.name, pa.string()), count),
        pa.repeat(pa.scalar(spec.topic, pa.string()), count),
        table.column("aggregate_id"),
        table.column("aggregate_version"),
        table.column("recorded_at"),
        *(table.column(c.name) if c.name in table.column_names else missing for c in ACTOR_COLUMNS),
    ]
    return table, pa.Table.from_arrays(log_arrays, schema=_EVENT_LOG_SCHEMA)
