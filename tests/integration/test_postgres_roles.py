"""PostgreSQL in production: an application role that may only INSERT and SELECT events.

The suite's server has a superuser (``monev_admin``), standing in for the owner the postgres
image creates. `monev postgres-setup` run as the owner makes the tables and the app role;
the app role then records through the real application and is refused, by the server's own
privilege checks, every change to what is recorded.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from eventsourcing.persistence import PersistenceError
from operations_support import ADMIN, run_cli
from pg_server import ADMIN_ROLE, PostgresServer
from psycopg import sql

from apps.demo import load_demo
from domain.agencies import Opd
from domain.application import Monev
from domain.errors import StoreMovedError
from eventstore.append_only import PG_ROW_TRIGGER, EventStoreNotReadyError
from eventstore.bootstrap import build_application
from eventstore.postgres_roles import (
    AppRoleRecorder,
    grant_app_role,
    lock_function_name,
    table_privileges,
)
from eventstore.settings import Settings

TABLE = "monev_events"


@dataclass(frozen=True)
class Store:
    server: PostgresServer
    dbname: str
    owner_env: dict[str, str]
    app_env: dict[str, str]
    app_role: str
    app_password: str

    def connect_as_app(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host=self.server.host,
            port=self.server.port,
            dbname=self.dbname,
            user=self.app_role,
            password=self.app_password,
            autocommit=True,
        )


@pytest.fixture
def store(postgres_server: PostgresServer) -> Iterator[Store]:
    """An empty database and the owner's settings; the app role is made by each test."""
    dbname = postgres_server.create_database()
    role = f"monev_app_{uuid.uuid4().hex[:8]}"
    base = postgres_server.settings(dbname)
    owner_env = {
        **base,
        "MONEV_EVENT_STORE": "postgres",
        "POSTGRES_USER": ADMIN_ROLE,
        "POSTGRES_PASSWORD": postgres_server.admin_password,
    }
    password = uuid.uuid4().hex
    app_env = {**base, "POSTGRES_USER": role, "POSTGRES_PASSWORD": password}
    yield Store(postgres_server, dbname, owner_env, app_env, role, password)
    postgres_server.drop_database(dbname)
    with postgres_server.admin_connect() as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


def monev_env(library_env: dict[str, str]) -> dict[str, str]:
    """The application's settings for a store, with the recorder monev chooses itself."""
    return Settings.from_env({**library_env, "MONEV_EVENT_STORE": "postgres"}).application_env()


def setup(store: Store, tmp_path: Path) -> None:
    result = run_cli(
        ["postgres-setup", "--app-role", store.app_role, "--app-password-stdin"],
        {**store.owner_env, "MONEV_HOME": str(tmp_path)},
        stdin=store.app_password + "\n",
    )
    assert result.exit_code == 0, result.output


def test_postgres_setup_makes_an_app_role_that_records_commands(
    store: Store, tmp_path: Path
) -> None:
    setup(store, tmp_path)
    app = Monev(env=monev_env(store.app_env))
    count = load_demo(app)
    assert app.last_position() == count
    with store.connect_as_app() as conn:
        privileges = table_privileges(conn, store.app_role, "public", TABLE)
    assert privileges == {
        "SELECT": True,
        "INSERT": True,
        "UPDATE": False,
        "DELETE": False,
        "TRUNCATE": False,
    }


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE monev_events SET topic = 'forged'",
        "DELETE FROM monev_events",
        "TRUNCATE monev_events",
        "DROP TABLE monev_events",
        "ALTER TABLE monev_events DISABLE TRIGGER ALL",
        "SELECT setval('monev_events_notification_id_seq', 1)",
    ],
)
def test_the_app_role_cannot_change_or_remove_recorded_events(
    store: Store, tmp_path: Path, statement: str
) -> None:
    setup(store, tmp_path)
    app = Monev(env=monev_env(store.app_env))
    app.register_opd(ADMIN, code="DISKOPUKM", name="Dinas Koperasi dan Usaha Mikro")
    with store.connect_as_app() as conn:
        before = conn.execute("SELECT topic, state FROM monev_events").fetchall()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
        assert conn.execute("SELECT topic, state FROM monev_events").fetchall() == before


def test_the_app_role_can_make_a_backup(store: Store, tmp_path: Path) -> None:
    setup(store, tmp_path)
    load_demo(Monev(env=monev_env(store.app_env)))
    result = run_cli(
        ["backup", str(tmp_path / "backup")],
        {**store.app_env, "MONEV_EVENT_STORE": "postgres", "MONEV_HOME": str(tmp_path)},
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "backup" / "events.pgdump").is_file()


def test_the_library_recorder_alone_cannot_lock_with_insert_and_select(
    store: Store, tmp_path: Path
) -> None:
    """Why AppRoleRecorder exists: LOCK TABLE … EXCLUSIVE needs UPDATE, DELETE or TRUNCATE."""
    setup(store, tmp_path)
    app = Monev(env={**store.app_env, "CREATE_TABLE": "n"})
    with pytest.raises(PersistenceError, match="permission denied"):
        app.register_opd(ADMIN, code="DISKOPUKM", name="Dinas Koperasi dan Usaha Mikro")


def test_the_lock_function_holds_the_exclusive_lock_for_the_callers_transaction(
    store: Store, tmp_path: Path
) -> None:
    setup(store, tmp_path)
    with store.connect_as_app() as conn, conn.transaction():
        conn.execute(sql.SQL("SELECT {}()").format(sql.Identifier(lock_function_name(TABLE))))
        modes = {
            mode
            for (mode,) in conn.execute(
                "SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() "
                "AND relation = 'public.monev_events'::regclass AND granted"
            )
        }
    assert "ExclusiveLock" in modes


def test_an_app_role_that_finds_no_events_table_says_to_run_the_setup(store: Store) -> None:
    with store.server.admin_connect() as conn:
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(store.app_role), sql.Literal(store.app_password)
            )
        )
    with pytest.raises(PersistenceError, match="postgres-setup"):
        Monev(env=monev_env(store.app_env))


def test_running_the_setup_again_repairs_a_widened_role(store: Store, tmp_path: Path) -> None:
    setup(store, tmp_path)
    with store.server.admin_connect(store.dbname) as conn:
        conn.execute(
            sql.SQL("GRANT UPDATE, DELETE ON monev_events TO {}").format(
                sql.Identifier(store.app_role)
            )
        )
        assert table_privileges(conn, store.app_role, "public", TABLE)["UPDATE"]
        grant_app_role(conn, store.app_role)
        assert not table_privileges(conn, store.app_role, "public", TABLE)["UPDATE"]
        assert not table_privileges(conn, store.app_role, "public", TABLE)["DELETE"]


def test_postgres_setup_says_plainly_when_the_owner_may_not_create_roles(
    store: Store, tmp_path: Path
) -> None:
    # The suite's ordinary role owns the database but has no CREATEROLE.
    env = {**store.app_env, "MONEV_EVENT_STORE": "postgres"}
    env["POSTGRES_USER"] = "monev"
    env["POSTGRES_PASSWORD"] = store.server.app_password
    result = run_cli(
        ["postgres-setup", "--app-role", store.app_role],
        {**env, "MONEV_HOME": str(tmp_path)},
    )
    assert result.exit_code == 1
    assert "lacks a privilege" in result.output


def app_settings(store: Store, tmp_path: Path) -> Settings:
    """The settings the refresher and dashboard start with in production: the app role's."""
    return Settings.from_env(
        {**store.app_env, "MONEV_EVENT_STORE": "postgres", "MONEV_HOME": str(tmp_path)}
    )


def test_the_app_role_starts_monev_through_the_append_only_guard(
    store: Store, tmp_path: Path
) -> None:
    setup(store, tmp_path)
    app = build_application(app_settings(store, tmp_path))
    try:
        app.register_opd(ADMIN, code="DISKOPUKM", name="Dinas Koperasi dan Usaha Mikro")
        assert app.last_position() == 1
    finally:
        app.close()


def test_the_app_role_s_write_is_refused_when_the_store_moved_since_the_command_s_checks(
    store: Store, tmp_path: Path
) -> None:
    """The position check of eventstore.postgres_recorder, made under the owner's lock function."""
    setup(store, tmp_path)
    app = build_application(app_settings(store, tmp_path))
    other = build_application(app_settings(store, tmp_path))
    try:
        assert isinstance(app.recorder, AppRoleRecorder)
        app.register_opd(ADMIN, code="DISKOPUKM", name="Dinas Koperasi dan Usaha Mikro")
        other.register_opd(ADMIN, code="BAPPEDA", name="Bappeda")  # ``app`` has not seen it
        end = other.last_position()
        opd = Opd(code="DISPERINDAG", name="Dinas Perindustrian", short_name="", actor=ADMIN)
        stored = [app.mapper.to_stored_event(e) for e in opd.collect_events()]
        with pytest.raises(StoreMovedError):
            app.recorder.insert_events(stored, expected_position=end - 1)
        assert app.last_position() == end
        # A command on ``app``'s stale memory is refused by the write and runs again.
        app.register_opd(ADMIN, code="DISPERINDAG", name="Dinas Perindustrian")
        assert app.last_position() == end + 1
        assert other.get_opd("DISPERINDAG").code == "DISPERINDAG"
        assert app.recorder.checks_expected_position
    finally:
        app.close()
        other.close()


def test_the_app_role_refuses_to_start_when_the_guard_triggers_are_gone(
    store: Store, tmp_path: Path
) -> None:
    setup(store, tmp_path)
    with store.server.admin_connect(store.dbname) as conn:
        conn.execute(
            sql.SQL("DROP TRIGGER {} ON monev_events").format(sql.Identifier(PG_ROW_TRIGGER))
        )
    with pytest.raises(EventStoreNotReadyError, match="monev postgres-setup"):
        build_application(app_settings(store, tmp_path))
    with store.server.admin_connect(store.dbname) as conn:
        triggers = conn.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'monev_events'::regclass "
            "AND NOT tgisinternal"
        ).fetchone()
    # The app role installed nothing; the truncate and order guards are left.
    assert triggers == (2,)
