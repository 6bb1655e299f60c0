"""Applies the store's append-only guard once the library has created its tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from apps.settings import Settings
    from domain.application import Monev


def protect_store(settings: Settings, app: Monev) -> None:
    try:
        from apps import append_only
    except ImportError:  # pragma: no cover - the guard module lands separately
        return
    if settings.event_store == "sqlite":
        append_only.protect_sqlite(settings.sqlite_path)
    elif settings.event_store == "postgres":
        append_only.protect_postgres(settings.application_env(), app.name)
