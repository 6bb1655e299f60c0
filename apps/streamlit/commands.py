"""The Input page's way to the write side: one domain command per submission, nothing else.

Writes never touch the warehouse; they go through the ``Monev`` service built by
``eventstore.bootstrap``, which checks the actor and every rule again, so the dashboard is never the
boundary. The actor always comes from the signed-in visitor, never from a form field. The
outcome is what the person needs to see: the events the command stored, or the domain's
refusal in its own words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from domain.actors import Actor
from domain.application import Monev
from domain.errors import MonevError
from domain.events import event_name
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

REFUSAL_KINDS = (
    "PermissionDeniedError",
    "QuarterClosedError",
    "ActivityMergedError",
    "InvalidInputError",
    "NotFoundError",
    "DuplicateError",
    "ConflictError",
    "MonevError",
)
_ENVELOPE = {"originator_id", "originator_version", "timestamp", "originator_topic", "actor"}


@dataclass(frozen=True)
class StoredEvent:
    position: int
    event_type: str
    fields: dict[str, str]

    def summary(self) -> str:
        details = ", ".join(f"{k}={v}" for k, v in self.fields.items() if v not in ("", "None"))
        return f"#{self.position} {self.event_type}" + (f" ({details})" if details else "")


@dataclass(frozen=True)
class Outcome:
    events: tuple[StoredEvent, ...] = ()
    refusal: str | None = None
    kind: str = "MonevError"  # the refusal's error class, which the page words for the reader
    error: MonevError | None = None  # the refusal itself, worded in the reader's language
    result: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.refusal is None


def _settings_key(settings: Settings) -> str:
    return "|".join(
        [
            str(settings.home.resolve()),
            settings.event_store,
            repr(sorted(settings.postgres.items())),
        ]
    )


@st.cache_resource(show_spinner=False)
def _application(_settings: Settings, key: str) -> Monev:
    """One service per store for the whole server: it serialises its own commands."""
    del key
    return build_application(_settings)


def application(settings: Settings) -> Monev:
    return _application(settings, _settings_key(settings))


def run(app: Monev, actor: Actor | None, command: str, **values: Any) -> Outcome:
    """Runs ``app.<command>(actor, **values)``; a refusal stores nothing and says why."""
    if actor is None:
        return Outcome(refusal="No signed-in admin or OPD user.", kind="not_signed_in")
    method: Callable[..., Any] = getattr(app, command)
    before = app.last_position()
    try:
        result = method(actor, **values)
    except MonevError as error:
        return refused(error)
    return Outcome(events=stored_since(app, before, actor), result=result)


def refused(error: MonevError) -> Outcome:
    """The refusal with its kind: the nearest error class the dashboard has words for."""
    kind = next(
        (cls.__name__ for cls in type(error).__mro__ if cls.__name__ in REFUSAL_KINDS),
        "MonevError",
    )
    return Outcome(refusal=str(error), kind=kind, error=error)


def stored_since(
    app: Monev, position: int, actor: Actor, limit: int = 20
) -> tuple[StoredEvent, ...]:
    """The events this actor stored after ``position``, read back from the store itself."""
    notifications = app.recorder.select_notifications(position, limit, inclusive_of_start=False)
    found = []
    for notification in notifications:
        event = app.mapper.to_domain_event(notification)
        who = getattr(event, "actor", None)
        if who is not None and who.user_id != actor.user_id:
            continue
        fields = {key: str(value) for key, value in vars(event).items() if key not in _ENVELOPE}
        found.append(StoredEvent(notification.id, event_name(type(event)), fields))
    return tuple(found)
