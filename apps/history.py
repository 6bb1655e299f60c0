"""The event store's history as readable rows, for `monev log`.

Reads the notification log in pages straight from the store (not the warehouse), so the log
is right even before the first refresh.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.application import Monev
from domain.events import AGGREGATES, event_name

PAGE = 1000


@dataclass(frozen=True)
class HistoryRow:
    position: int
    recorded_at: datetime
    actor: str
    event: str
    aggregate: str
    details: str


def _describe(event: object) -> str:
    skip = {"originator_id", "originator_version", "timestamp", "originator_topic", "actor", "code"}
    fields = vars(event)
    # The reason comes first: it is what a reader of a correction or revision looks for.
    ordered = sorted(fields, key=lambda key: key != "reason")
    parts = []
    for key in ordered:
        value = fields[key]
        if key in skip or value in (None, "", (), []):
            continue
        parts.append(f"{key}={value}")
    text = " ".join(parts)
    return text if len(text) <= 120 else text[:117] + "..."


def history(
    app: Monev,
    *,
    aggregate: str | None = None,
    actor: str | None = None,
    event_type: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Iterator[HistoryRow]:
    """Yields matching events in store order; names of aggregates come from their codes."""
    wanted_ids: set[UUID] | None = None
    if aggregate:
        key = aggregate.strip().upper()
        wanted_ids = {cls.create_id(key) for cls in AGGREGATES}  # type: ignore[attr-defined]
    names: dict[UUID, str] = {}
    start = 0
    while True:
        page = app.recorder.select_notifications(start, PAGE, inclusive_of_start=False)
        if not page:
            return
        for notification in page:
            event = app.mapper.to_domain_event(notification)
            code = getattr(event, "code", None) or getattr(event, "quarter", None)
            if event.originator_version == 1 and code:
                names[event.originator_id] = str(code)
            name = event_name(type(event))
            who = event.actor  # type: ignore[attr-defined]
            if wanted_ids is not None and event.originator_id not in wanted_ids:
                continue
            if actor and who.user_id != actor:
                continue
            if event_type and name.lower() != event_type.lower():
                continue
            if since and event.timestamp < since:
                continue
            if until and event.timestamp > until:
                continue
            yield HistoryRow(
                position=notification.id,
                recorded_at=event.timestamp,
                actor=f"{who.user_id} ({who.role}{', ' + who.opd_code if who.opd_code else ''})",
                event=name,
                aggregate=names.get(event.originator_id, str(event.originator_id)),
                details=_describe(event),
            )
        start = page[-1].id
