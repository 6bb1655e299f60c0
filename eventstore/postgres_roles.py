"""PostgreSQL in production: the schema made once by its owner, and an append-only app role.

Two roles keep the record safe. The *owner* (the role that owns the database, e.g. the one the
``postgres`` container creates) makes the tables on first start and runs backups, restores and
migrations. The *application role* that the command line, the dashboard and the refresher use
may only INSERT and SELECT events: the grants alone stop it from changing or removing anything,
and the triggers of ``eventstore.append_only`` stop everyone else's mistakes.

One thing stands in the way: to serialise writers, so that a reader tailing the notification
log never passes a gap that an older transaction fills later, the library runs
``LOCK TABLE … IN EXCLUSIVE MODE`` before each insert, and PostgreSQL allows that lock mode
only to roles with UPDATE, DELETE or TRUNCATE on the table. So the owner also creates a small
``SECURITY DEFINER`` function that takes exactly that lock, and ``AppRoleRecorder`` calls it
instead of ``LOCK TABLE``. Locks last until the end of the transaction whoever took them, so
the serialisation is the library's own, and so is the position check monev makes under it
(``eventstore.postgres_recorder``). monev uses this recorder for every PostgreSQL store, whether
it runs as the owner (which creates the function on each start) or as the application role
(``eventstore.settings``); nobody has to name it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import psycopg
from eventsourcing.persistence import PersistenceError, ProgrammingError
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from eventstore.append_only import OWNS_TABLE_SQL
from eventstore.postgres_recorder import PositionCheckedPostgresRecorder

if TYPE_CHECKING:
    from eventstore.settings import Settings


def lock_function_name(events_table: str) -> str:
    """The lock function beside each events table, so several applications can share a schema."""
    return f"{events_table}_lock"[:63]


def events_sequence_name(events_table: str) -> str:
    """The ``bigserial`` sequence PostgreSQL makes for ``notification_id``."""
    return f"{events_table}_notification_id_seq"


def _lock_function_sql(schema: str, table: str) -> sql.Composed:
    # search_path pinned and every name qualified: a SECURITY DEFINER function must not
    # resolve names through the caller's search_path.
    return sql.SQL(
        "CREATE OR REPLACE FUNCTION {schema}.{function}() RETURNS void "
        "LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ "
        "BEGIN LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; END $$"
    ).format(
        schema=sql.Identifier(schema),
        function=sql.Identifier(lock_function_name(table)),
        table=sql.Identifier(table),
    )


class AppRoleRecorder(PositionCheckedPostgresRecorder):
    """monev's recorder, locking through the owner's function instead of LOCK TABLE.

    The write checks ``expected_position`` under that lock as the owner's recorder does
    (``eventstore.postgres_recorder``): the lock is the same, whoever's function takes it.

    Creating tables is left to the owner: a role that does not own an existing events table
    skips the library's CREATE statements (it may not run them), and a role that finds no
    table says so plainly instead of failing on a permission error.
    """

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        schema = sql.Identifier(self.datastore.schema)
        function = sql.Identifier(lock_function_name(self.events_table_name))
        self.lock_table_statements = [
            sql.SQL("SET LOCAL lock_timeout = '{0}s'").format(self.datastore.lock_timeout),
            sql.SQL("SELECT {schema}.{function}()").format(schema=schema, function=function),
        ]
        self.sql_create_statements.append(
            _lock_function_sql(self.datastore.schema, self.events_table_name)
        )

    def create_table(self) -> None:
        owner = self._table_owner_is_me()
        if owner is None:
            if not self._may_create():
                msg = (
                    f"The events table {self.datastore.schema}.{self.events_table_name} does "
                    "not exist and this database role may not create it: start monev once as "
                    "the database owner (see `monev postgres-setup`)."
                )
                raise ProgrammingError(msg)
        elif not owner:
            self.datastore.register_type_adapters()
            return
        super().create_table()

    def _table_owner_is_me(self) -> bool | None:
        """None when the table is missing, else whether the current role may act as owner."""
        qualified = sql.SQL("{}.{}").format(
            sql.Identifier(self.datastore.schema), sql.Identifier(self.events_table_name)
        )
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(OWNS_TABLE_SQL, (qualified.as_string(curs.connection),))
            row = curs.fetchone()
        return None if row is None else bool(row["mine"])

    def _may_create(self) -> bool:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                "SELECT has_schema_privilege(current_user, %s, 'CREATE') AS may",
                (self.datastore.schema,),
            )
            row = curs.fetchone()
        return bool(row and row["may"])


def install_lock_function(conn: psycopg.Connection[Any], schema: str, events_table: str) -> None:
    """Creates (or replaces) the owner's lock function; run as the table's owner."""
    conn.execute(_lock_function_sql(schema, events_table))


def grant_app_role(
    conn: psycopg.Connection[Any],
    role: str,
    *,
    password: str | None = None,
    schema: str = "public",
    events_table: str = "monev_events",
) -> None:
    """Creates or updates the application role: INSERT and SELECT on the events, nothing more.

    ``conn`` is an autocommit connection to the event store's database by a role that owns
    the events table and may create roles (the database owner the ``postgres`` image makes,
    or a superuser). Besides INSERT and SELECT on the events table the role gets what
    recording needs and cannot change a recorded event with: USAGE on the schema, USAGE and
    SELECT on the ``notification_id`` sequence (INSERT draws the next id; pg_dump, and so
    ``monev backup``, reads its position) and EXECUTE on the lock function. Any other
    privilege it had on the table is revoked, so running this again repairs a role someone
    widened. Idempotent.
    """
    names = {
        "role": sql.Identifier(role),
        "schema": sql.Identifier(schema),
        "table": sql.Identifier(events_table),
        "sequence": sql.Identifier(events_sequence_name(events_table)),
        "function": sql.Identifier(lock_function_name(events_table)),
    }
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    if exists is None:
        conn.execute(sql.SQL("CREATE ROLE {role} LOGIN").format(**names))
    if password is not None:
        conn.execute(
            sql.SQL("ALTER ROLE {role} LOGIN PASSWORD {password}").format(
                password=sql.Literal(password), **names
            )
        )
    install_lock_function(conn, schema, events_table)
    statements = [
        "REVOKE ALL ON {schema}.{table} FROM {role}",
        "REVOKE ALL ON SEQUENCE {schema}.{sequence} FROM {role}",
        "REVOKE ALL ON FUNCTION {schema}.{function}() FROM PUBLIC",
        "GRANT USAGE ON SCHEMA {schema} TO {role}",
        "GRANT SELECT, INSERT ON {schema}.{table} TO {role}",
        "GRANT USAGE, SELECT ON SEQUENCE {schema}.{sequence} TO {role}",
        "GRANT EXECUTE ON FUNCTION {schema}.{function}() TO {role}",
    ]
    with conn.transaction():
        for statement in statements:
            conn.execute(sql.SQL(statement).format(**names))


def table_privileges(
    conn: psycopg.Connection[Any], role: str, schema: str, events_table: str
) -> dict[str, bool]:
    """What ``role`` may do to the events table, for ``monev doctor`` and the tests."""
    qualified = f"{_quote(schema)}.{_quote(events_table)}"
    result: dict[str, bool] = {}
    for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"):
        row = conn.execute(
            "SELECT has_table_privilege(%s, %s, %s)", (role, qualified, privilege)
        ).fetchone()
        result[privilege] = bool(row and row[0])
    return result


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def setup_postgres(settings: Settings, app_role: str, password: str | None) -> str:
    """First start as the owner: the tables and guards, the lock function, the app role.

    ``settings`` must carry the owner's ``POSTGRES_*`` credentials. Returns where the store is.
    """
    from eventstore.bootstrap import build_application
    from eventstore.stores import PostgresTarget, StoreOperationError

    try:
        target = PostgresTarget.from_settings(settings.postgres)
    except ValueError as error:
        raise StoreOperationError(str(error)) from None
    try:
        build_application(settings).close()
        with target.connect(autocommit=True) as conn:
            grant_app_role(
                conn, app_role, password=password, schema=target.schema, events_table=target.table
            )
    except psycopg.errors.InsufficientPrivilege as error:
        msg = (
            f"Role {target.connect_kwargs['user']} lacks a privilege the set-up needs ({error}). "
            "Run it as the database owner with permission to create roles (the postgres "
            "image's POSTGRES_USER is one), or create the role yourself and run it again."
        )
        raise StoreOperationError(msg) from None
    except (psycopg.Error, PersistenceError) as error:
        msg = f"The PostgreSQL set-up failed: {error}"
        raise StoreOperationError(msg) from None
    return target.description
