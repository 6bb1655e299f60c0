"""Makes the event store itself refuse to change or remove recorded events.

The events are monev's record of who did what and when; the domain never edits them, but a
tired administrator with a SQL prompt, or a buggy script, could. Triggers in the database
refuse, whoever asks, so the guarantee holds outside the application too:

- ``UPDATE`` and ``DELETE`` of events (and ``TRUNCATE`` on PostgreSQL), which also stops
  ``INSERT … ON CONFLICT DO UPDATE`` (its update fires the UPDATE trigger);
- on SQLite, an insert over a recorded event: ``INSERT OR REPLACE`` and ``REPLACE INTO``
  delete the old row without firing the DELETE trigger (unless a connection enables
  ``recursive_triggers``), so a BEFORE INSERT trigger refuses any row whose aggregate version
  or rowid is taken (a plain duplicate, a version conflict, is refused as before, as an
  integrity error);
- an insert *behind* the end of the notification log (a rowid or ``notification_id`` given
  explicitly below the last one, or PostgreSQL's sequence set back): readers that track the
  log by position (the projection) would never see it. The notification log must only grow.

Inserting new events at the end stays allowed; each check costs a write one index lookup.
The library's other tables (tracking tables, snapshots) are not created in monev's store: it
runs no process applications and takes no snapshots.

The triggers stop mistakes, not a determined owner: the table's owner or a superuser can drop
or disable them. Guarding against those needs separate roles, which is deployment's business
(``eventstore.postgres_roles``).

The library creates its tables when the application is constructed, so these functions run
after that (see ``eventstore.bootstrap``). Both are idempotent and cheap enough to run at each
start.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Mapping
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, cast

from eventsourcing.utils import Environment, resolve_topic

if TYPE_CHECKING:  # psycopg is imported only for a PostgreSQL store
    import psycopg

APPEND_ONLY_MESSAGE = "monev event store is append-only"

# eventsourcing 9.5.6, eventsourcing/sqlite.py: SQLiteApplicationRecorder's default table.
SQLITE_EVENTS_TABLE = "stored_events"

# Seconds to wait for a writer (the application itself, another process) to let go.
LOCK_TIMEOUT_SECONDS = 30

_SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS {table}_append_only_{verb}
BEFORE {operation} ON {table}
BEGIN
    SELECT RAISE(ABORT, '{message}: {operation} on {table} is refused');
END
"""

# Refuses an insert over a recorded event (REPLACE) or before the end of the log; a rowid left
# to SQLite reads -1 in a BEFORE INSERT trigger, an explicit one its value.
_SQLITE_INSERT_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS {table}_append_only_insert
BEFORE INSERT ON {table}
WHEN EXISTS (
        SELECT 1 FROM {table}
        WHERE originator_id = NEW.originator_id AND originator_version = NEW.originator_version
    )
    OR (NEW.rowid <> -1 AND NEW.rowid <= (SELECT coalesce(max(rowid), 0) FROM {table}))
BEGIN
    SELECT RAISE(ABORT, '{message}: INSERT over or before a recorded event on {table} is refused');
END
"""
# An explicit rowid of -1 is told apart only after the insert.
_SQLITE_ORDER_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS {table}_append_only_order
AFTER INSERT ON {table}
WHEN NEW.rowid < (SELECT max(rowid) FROM {table})
BEGIN
    SELECT RAISE(ABORT, '{message}: INSERT before a recorded event on {table} is refused');
END
"""
SQLITE_TRIGGERS = ("update", "delete", "insert", "order")

# Postgres trigger and function names; the functions live next to the table they guard.
PG_FUNCTION = "monev_refuse_event_change"
PG_ORDER_FUNCTION = "monev_refuse_event_behind"
PG_ROW_TRIGGER = "monev_append_only_rows"
PG_TRUNCATE_TRIGGER = "monev_append_only_truncate"
PG_ORDER_TRIGGER = "monev_append_only_order"
PG_TRIGGERS = (PG_ROW_TRIGGER, PG_TRUNCATE_TRIGGER, PG_ORDER_TRIGGER)

# An arbitrary constant: serialises concurrent starts, which would otherwise race on
# CREATE OR REPLACE FUNCTION ("tuple concurrently updated").
_PG_ADVISORY_LOCK_KEY = 0x6D6F6E6576  # "monev"


# One row when the table exists: whether the current role may act as its owner (owns it, or is
# a member of the owning role). Only an owner may create the guard's triggers.
OWNS_TABLE_SQL = (
    "SELECT pg_has_role(current_user, relowner, 'USAGE') AS mine FROM pg_class "
    "WHERE oid = to_regclass(%s)"
)


class EventStoreNotReadyError(RuntimeError):
    """The events table is not there yet: the guard must run after the application starts."""


def protect_sqlite(path: Path) -> None:
    """Installs triggers on the SQLite event store at ``path`` refusing any change of an event."""
    if not path.is_file():
        # sqlite3.connect would silently create an empty database and guard nothing.
        msg = f"No SQLite event store at {path}: construct the application first."
        raise EventStoreNotReadyError(msg)
    with closing(sqlite3.connect(path, timeout=LOCK_TIMEOUT_SECONDS)) as conn, conn:
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
            (SQLITE_EVENTS_TABLE,),
        ).fetchone()
        if exists is None:
            msg = f"{path} has no {SQLITE_EVENTS_TABLE} table: construct the application first."
            raise EventStoreNotReadyError(msg)
        for operation in ("UPDATE", "DELETE"):
            conn.execute(
                _SQLITE_TRIGGER.format(
                    table=SQLITE_EVENTS_TABLE,
                    verb=operation.lower(),
                    operation=operation,
                    message=APPEND_ONLY_MESSAGE,
                )
            )
        for trigger in (_SQLITE_INSERT_TRIGGER, _SQLITE_ORDER_TRIGGER):
            conn.execute(trigger.format(table=SQLITE_EVENTS_TABLE, message=APPEND_ONLY_MESSAGE))


def postgres_events_table(app_name: str) -> str:
    """The events table the library's PostgresFactory names after the application."""
    # eventsourcing 9.5.6, PostgresFactory.application_recorder.
    return (app_name.lower() or "stored") + "_events"


def protect_postgres(env: Mapping[str, str], app_name: str) -> None:
    """Installs triggers on the application's PostgreSQL events table refusing changes.

    Settings are resolved as the library resolves them for the application: the process
    environment under ``env``, and ``<APP_NAME>_POSTGRES_...`` before ``POSTGRES_...``, so
    the guard lands in the very database and schema the application writes to.
    """
    from psycopg import sql

    settings = Environment(app_name, {**os.environ, **env})
    schema = (settings.get("POSTGRES_SCHEMA") or "").strip() or "public"
    table = postgres_events_table(app_name)
    with _connect(settings) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_PG_ADVISORY_LOCK_KEY,))
        conn.execute(
            sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(f"{LOCK_TIMEOUT_SECONDS}s"))
        )
        qualified = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(table))
        owner = conn.execute(OWNS_TABLE_SQL, (qualified.as_string(conn),)).fetchone()
        if owner is None:
            msg = f"No events table {schema}.{table}: construct the application first."
            raise EventStoreNotReadyError(msg)
        if not owner[0]:
            # A role that may only INSERT and SELECT (production's app role, see
            # eventstore.postgres_roles) may not create triggers; the owner installed them.
            installed = conn.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(%s) "
                "AND tgname = ANY(%s)",
                (qualified.as_string(conn), list(PG_TRIGGERS)),
            ).fetchone()
            if installed is None or cast("int", installed[0]) < len(PG_TRIGGERS):
                msg = (
                    f"The append-only triggers on {schema}.{table} are missing and this role "
                    "may not install them: run `monev postgres-setup` as the owner."
                )
                raise EventStoreNotReadyError(msg)
            return
        names = {
            "schema": sql.Identifier(schema),
            "table": sql.Identifier(table),
            "function": sql.Identifier(PG_FUNCTION),
            "order_function": sql.Identifier(PG_ORDER_FUNCTION),
            "row_trigger": sql.Identifier(PG_ROW_TRIGGER),
            "truncate_trigger": sql.Identifier(PG_TRUNCATE_TRIGGER),
            "order_trigger": sql.Identifier(PG_ORDER_TRIGGER),
            "message": sql.Literal(APPEND_ONLY_MESSAGE + ": % on %.% is refused"),
            "order_message": sql.Literal(
                APPEND_ONLY_MESSAGE + ": INSERT before a recorded event on %.% is refused"
            ),
            # Any row already stored at or after the first new notification id means the new
            # rows went behind the end of the log (an id given explicitly, a sequence set back).
            "behind_query": sql.Literal(
                "SELECT EXISTS (SELECT 1 FROM %I.%I AS e WHERE e.notification_id >= "
                "(SELECT min(notification_id) FROM monev_inserted) AND e.notification_id "
                "NOT IN (SELECT notification_id FROM monev_inserted))"
            ),
        }
        conn.execute(
            sql.SQL(
                "CREATE OR REPLACE FUNCTION {schema}.{function}() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION {message}, TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME "
                "USING HINT = 'Recorded events are never changed; record a correcting event.'; "
                "END $$"
            ).format(**names)
        )
        conn.execute(
            sql.SQL(
                "CREATE OR REPLACE TRIGGER {row_trigger} BEFORE UPDATE OR DELETE "
                "ON {schema}.{table} FOR EACH ROW EXECUTE FUNCTION {schema}.{function}()"
            ).format(**names)
        )
        conn.execute(
            sql.SQL(
                "CREATE OR REPLACE TRIGGER {truncate_trigger} BEFORE TRUNCATE "
                "ON {schema}.{table} FOR EACH STATEMENT EXECUTE FUNCTION {schema}.{function}()"
            ).format(**names)
        )
        conn.execute(
            sql.SQL(
                "CREATE OR REPLACE FUNCTION {schema}.{order_function}() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ DECLARE behind boolean; BEGIN "
                "EXECUTE format({behind_query}, TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO behind; "
                "IF behind THEN RAISE EXCEPTION {order_message}, TG_TABLE_SCHEMA, TG_TABLE_NAME "
                "USING HINT = 'The notification log only grows: insert new events at its end.'; "
                "END IF; RETURN NULL; END $$"
            ).format(**names)
        )
        conn.execute(
            sql.SQL(
                "CREATE OR REPLACE TRIGGER {order_trigger} AFTER INSERT ON {schema}.{table} "
                "REFERENCING NEW TABLE AS monev_inserted FOR EACH STATEMENT "
                "EXECUTE FUNCTION {schema}.{order_function}()"
            ).format(**names)
        )


def _connect(settings: Environment) -> psycopg.Connection[tuple[object, ...]]:
    import psycopg

    password = settings.get("POSTGRES_PASSWORD")
    topic = settings.get("POSTGRES_GET_PASSWORD_TOPIC")
    if topic:
        password = cast("Callable[[], str]", resolve_topic(topic))()
    return psycopg.connect(
        dbname=settings.get("POSTGRES_DBNAME"),
        host=settings.get("POSTGRES_HOST"),
        port=int(settings.get("POSTGRES_PORT") or "5432"),
        user=settings.get("POSTGRES_USER"),
        password=password,
        connect_timeout=int(settings.get("POSTGRES_CONNECT_TIMEOUT") or "30"),
    )
