"""The throwaway PostgreSQL server is real, recent and private; each test gets its own database."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from pg_server import PostgresServer, PostgresUnavailableError, find_bin_dir

pytestmark = pytest.mark.postgres


def connect(env: dict[str, str]) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(
        host=env["POSTGRES_HOST"],
        port=int(env["POSTGRES_PORT"]),
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"],
        dbname=env["POSTGRES_DBNAME"],
        connect_timeout=10,
    )


def test_the_settings_are_the_libraries_postgres_settings(postgres_env: dict[str, str]) -> None:
    assert postgres_env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert postgres_env["POSTGRES_HOST"] == "127.0.0.1"
    assert set(postgres_env) == {
        "PERSISTENCE_MODULE",
        "POSTGRES_DBNAME",
        "POSTGRES_HOST",
        "POSTGRES_PORT",
        "POSTGRES_USER",
        "POSTGRES_PASSWORD",
    }


def test_the_server_answers_and_is_version_15_or_later(postgres_env: dict[str, str]) -> None:
    with connect(postgres_env) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
        row = conn.execute("SELECT current_setting('server_version_num')::int").fetchone()
        assert row is not None
        assert row[0] >= 150000
        assert conn.info.server_version >= 150000
        assert conn.execute("SELECT current_database()").fetchone() == (
            postgres_env["POSTGRES_DBNAME"],
        )


def test_the_server_listens_only_on_loopback_with_a_private_socket(
    postgres_server: PostgresServer, postgres_env: dict[str, str]
) -> None:
    with connect(postgres_env) as conn:
        settings = dict(
            conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('listen_addresses', 'port', 'fsync')"
            ).fetchall()
        )
        address = conn.execute("SELECT host(inet_server_addr())").fetchone()
    # Only superusers may read where the socket is.
    with postgres_server.admin_connect() as admin:
        socket_dir = admin.execute("SHOW unix_socket_directories").fetchone()
    assert socket_dir is not None
    assert settings["listen_addresses"] == "127.0.0.1"
    assert settings["port"] == postgres_env["POSTGRES_PORT"]
    assert settings["fsync"] == "off"
    assert Path(str(socket_dir[0])).is_relative_to(postgres_server.base_dir)
    assert address == ("127.0.0.1",)


def test_the_password_is_required(postgres_env: dict[str, str]) -> None:
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        connect({**postgres_env, "POSTGRES_PASSWORD": "wrong"})


def test_the_application_role_is_not_a_superuser(postgres_env: dict[str, str]) -> None:
    """Production's role is ordinary, so tests must not pass thanks to superuser rights."""
    with connect(postgres_env) as conn:
        assert conn.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone() == (False,)


def test_each_fresh_database_is_new_and_empty(
    fresh_postgres_env: dict[str, str], postgres_server: PostgresServer
) -> None:
    with connect(fresh_postgres_env) as conn:
        conn.execute("CREATE TABLE marker (n int)")
        conn.commit()
    other = postgres_server.create_database()
    try:
        assert other != fresh_postgres_env["POSTGRES_DBNAME"]
        with connect(postgres_server.settings(other)) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone()
        assert tables == (0,)
    finally:
        postgres_server.drop_database(other)


def test_the_binaries_are_found_off_path_where_debian_puts_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    if list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        assert find_bin_dir().is_relative_to("/usr/lib/postgresql")
    else:
        with pytest.raises(PostgresUnavailableError, match=r"scripts/system-deps\.sh"):
            find_bin_dir()


@pytest.mark.slow
def test_a_server_that_cannot_start_reports_why() -> None:
    """The fixture turns this error into a failure, never a skip, so it must carry the cause."""
    server = PostgresServer.create()
    try:
        server.init()
        with (server.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("shared_buffers = 'not a size'\n")
        with pytest.raises(PostgresUnavailableError) as raised:
            server.start()
        assert "did not start" in str(raised.value)
        assert "shared_buffers" in str(raised.value)
    finally:
        server.stop()
    assert not server.base_dir.exists()
