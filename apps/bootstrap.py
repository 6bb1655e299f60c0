"""Builds the application from settings: the one place where the store is chosen and guarded."""

from __future__ import annotations

from apps.append_only_hook import protect_store
from apps.settings import Settings
from domain.application import Monev


def build_application(settings: Settings | None = None) -> Monev:
    """Creates the data directory, opens the event store and makes it append-only."""
    settings = settings or Settings.from_env()
    if settings.event_store == "sqlite":
        settings.home.mkdir(parents=True, exist_ok=True)
    app = Monev(env=settings.application_env())
    protect_store(settings, app)
    return app
