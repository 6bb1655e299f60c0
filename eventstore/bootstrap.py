"""Builds the application from settings: the one place where the store is chosen and guarded."""

from __future__ import annotations

from domain.application import Monev
from eventstore.append_only import protect_postgres, protect_sqlite
from eventstore.settings import Settings


def build_application(settings: Settings | None = None) -> Monev:
    """Creates the data directory, opens the event store and makes it append-only.

    The guard goes on after the library has created its tables, on every start, so a store
    created by an older version is protected too.
    """
    settings = settings or Settings.from_env()
    if settings.event_store == "sqlite":
        settings.home.mkdir(parents=True, exist_ok=True)
    app = Monev(env=settings.application_env())
    if settings.event_store == "sqlite":
        protect_sqlite(settings.sqlite_path)
    elif settings.event_store == "postgres":
        protect_postgres(settings.application_env(), app.name)
    return app
