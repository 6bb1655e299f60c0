"""``monev migrate --to postgres``: move the SQLite event store into an empty PostgreSQL store.

Every event is copied byte for byte with its notification id, aggregate id, version and topic
(the event's timestamp is inside its state, so it travels too). The library's own insert would
number the events afresh; that matches only while the source has no gaps, and the warehouse's
projection tracks positions by these ids, so the copy writes them explicitly with COPY and then
moves the id sequence past the last one. With the ids kept, a warehouse built from the SQLite
store stays valid for the PostgreSQL one, and a rebuild from either gives the same marts.

The copy is one transaction on the target: a migration that fails leaves the target empty,
and one that succeeds is checked by reading the target back (count, last id and a digest of
every event compared with the source's).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass

from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from eventstore.settings import Settings
from eventstore.stores import (
    PAGE_SIZE,
    ContentDigest,
    PostgresTarget,
    StoreOperationError,
    StoreSummary,
    postgres_count,
    postgres_pages,
    sqlite_connect,
    sqlite_count,
    sqlite_pages,
    summarise,
)

# libpq connection keywords and the library's settings they become.
_DSN_KEYS = {
    "dbname": "POSTGRES_DBNAME",
    "host": "POSTGRES_HOST",
    "port": "POSTGRES_PORT",
    "user": "POSTGRES_USER",
    "password": "POSTGRES_PASSWORD",
    "connect_timeout": "POSTGRES_CONNECT_TIMEOUT",
}


@dataclass(frozen=True)
class MigrationResult:
    source: StoreSummary
    target: StoreSummary
    target_description: str


def postgres_settings_from_dsn(dsn: str) -> dict[str, str]:
    """``POSTGRES_*`` settings from a libpq URI or key=value string."""
    try:
        parts = conninfo_to_dict(dsn)
    except Exception as error:  # psycopg raises ProgrammingError for a malformed string
        msg = f"The PostgreSQL address is not valid: {error}"
        raise StoreOperationError(msg) from None
    unknown = sorted(set(parts) - set(_DSN_KEYS))
    if unknown:
        msg = f"The PostgreSQL address has options monev does not pass on: {', '.join(unknown)}."
        raise StoreOperationError(msg)
    return {_DSN_KEYS[key]: str(value) for key, value in parts.items() if value is not None}


def target_settings(settings: Settings, overrides: Mapping[str, str] | None = None) -> Settings:
    """The same settings, but with the PostgreSQL store (``overrides`` win over POSTGRES_*)."""
    postgres = {**settings.postgres, **(overrides or {})}
    return Settings(
        home=settings.home,
        event_store="postgres",
        postgres=postgres,
        user=settings.user,
        users_file=settings.users_file,
        poll_seconds=settings.poll_seconds,
        dashboard_host=settings.dashboard_host,
        dashboard_port=settings.dashboard_port,
        config_file=settings.config_file,
    )


def migrate_to_postgres(
    settings: Settings,
    postgres: Mapping[str, str] | None = None,
    *,
    page_size: int = PAGE_SIZE,
    on_start: Callable[[int], None] | None = None,
    on_page: Callable[[int], None] | None = None,
) -> MigrationResult:
    """Copies every event of the SQLite store under ``settings.home`` into empty PostgreSQL.

    ``postgres`` overrides the ``POSTGRES_*`` settings for the target. ``on_start`` gets the
    number of events to copy and ``on_page`` the number just copied, for a progress bar.
    """
    from eventstore.bootstrap import build_application

    if settings.event_store != "sqlite":
        msg = (
            "migrate copies from the SQLite store, but monev is configured for "
            f"{settings.event_store}; unset MONEV_EVENT_STORE/PERSISTENCE_MODULE for the source."
        )
        raise StoreOperationError(msg)
    source_path = settings.sqlite_path
    if not source_path.is_file():
        msg = f"There is no SQLite event store at {source_path} to migrate (is MONEV_HOME right?)."
        raise StoreOperationError(msg)
    goal = target_settings(settings, postgres)
    try:
        target = PostgresTarget.from_settings(goal.postgres)
    except ValueError as error:
        raise StoreOperationError(str(error)) from None

    # Starting the application on the target creates its tables and guards, as a first start.
    build_application(goal).close()
    with closing(sqlite_connect(source_path)) as source, target.connect() as conn:
        source.execute("BEGIN")  # one snapshot of the source for the whole copy
        found = postgres_count(conn, target)
        if found.event_count:
            msg = (
                f"The PostgreSQL store {target.description} already has {found.event_count} "
                "events; migrate only fills an empty store."
            )
            raise StoreOperationError(msg)
        expected = sqlite_count(source)
        if on_start:
            on_start(expected.event_count)
        digest = ContentDigest()
        # Writers queue behind this lock (the library takes it for every insert), so nothing
        # can be recorded in the target between the copy and the sequence update.
        conn.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(target.qualified))
        copy_statement = sql.SQL(
            "COPY {} (notification_id, originator_id, originator_version, topic, state) FROM STDIN"
        ).format(target.qualified)
        for page in sqlite_pages(source, page_size=page_size):
            with conn.cursor().copy(copy_statement) as copy:
                for row in page:
                    copy.write_row(
                        (
                            row.position,
                            row.originator_id,
                            row.originator_version,
                            row.topic,
                            row.state,
                        )
                    )
                    digest.add(row)
            if on_page:
                on_page(len(page))
        conn.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), %s, %s)",
            (target.qualified.as_string(conn), max(digest.last_position, 1), digest.count > 0),
        )
        conn.commit()
        copied = digest.summary()
    if (copied.event_count, copied.last_position) != (
        expected.event_count,
        expected.last_position,
    ):  # pragma: no cover - the source is read in one snapshot
        msg = f"Copied {copied.event_count} events but the source has {expected.event_count}."
        raise StoreOperationError(msg)
    with target.connect() as conn:
        written = summarise(postgres_pages(conn, target, page_size=page_size))
    if written != copied:
        msg = (
            f"The PostgreSQL store holds {written.event_count} events up to position "
            f"{written.last_position}, but {copied.event_count} up to {copied.last_position} "
            "were copied (or their contents differ). Do not switch to it."
        )
        raise StoreOperationError(msg)
    return MigrationResult(copied, written, target.description)
