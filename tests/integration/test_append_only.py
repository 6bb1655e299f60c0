"""The event store refuses to change or remove recorded events, while new events still land.

Each store is written by a real eventsourcing application, then attacked with plain SQL from
outside it, as an administrator with a database prompt would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import psycopg
import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError
from psycopg import sql

from eventstore.append_only import (
    APPEND_ONLY_MESSAGE,
    EventStoreNotReadyError,
    postgres_events_table,
    protect_postgres,
    protect_sqlite,
)
from eventstore.bootstrap import build_application
from eventstore.settings import Settings


class Note(Aggregate):
    """The smallest aggregate with more than one event."""

    def __init__(self, text: str) -> None:
        self.text = text

    @event("Edited")
    def edit(self, text: str) -> None:
        self.text = text


class Ledger(Application[UUID]):
    """Named unlike the real application, so table names come from the name, not a constant."""


# --- SQLite -----------------------------------------------------------------------------


def sqlite_env(path: Path) -> dict[str, str]:
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[tuple[Ledger, Note, Path]]:
    path = tmp_path / "events.sqlite"
    app = Ledger(env=sqlite_env(path))
    note = Note("first")
    app.save(note)
    protect_sqlite(path)
    yield app, note, path
    app.close()


def sqlite_rows(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT rowid, * FROM stored_events ORDER BY rowid").fetchall()


def test_sqlite_refuses_update(sqlite_store: tuple[Ledger, Note, Path]) -> None:
    _, _, path = sqlite_store
    before = sqlite_rows(path)
    with (
        sqlite3.connect(path) as conn,
        pytest.raises(sqlite3.IntegrityError, match=f"{APPEND_ONLY_MESSAGE}: UPDATE"),
    ):
        conn.execute("UPDATE stored_events SET topic = 'forged', state = x'00'")
    assert sqlite_rows(path) == before


def test_sqlite_refuses_delete(sqlite_store: tuple[Ledger, Note, Path]) -> None:
    _, _, path = sqlite_store
    before = sqlite_rows(path)
    with (
        sqlite3.connect(path) as conn,
        pytest.raises(sqlite3.IntegrityError, match=f"{APPEND_ONLY_MESSAGE}: DELETE"),
    ):
        conn.execute("DELETE FROM stored_events")
    assert sqlite_rows(path) == before
    assert len(before) == 1


# Every statement that would change, replace or reorder a recorded event, as a person with a
# database prompt would type it; {first} is the recorded event's key, {rowid} its rowid.
SQLITE_CHANGES = {
    "update": "UPDATE stored_events SET topic = 'forged'",
    "delete": "DELETE FROM stored_events",
    "insert or replace": ("INSERT OR REPLACE INTO stored_events VALUES ({first}, 'forged', x'00')"),
    "replace into": "REPLACE INTO stored_events VALUES ({first}, 'forged', x'00')",
    "upsert": (
        "INSERT INTO stored_events VALUES ({first}, 'forged', x'00') "
        "ON CONFLICT (originator_id, originator_version) DO UPDATE SET topic = 'forged'"
    ),
    "replace by rowid": (
        "REPLACE INTO stored_events (rowid, originator_id, originator_version, topic, state) "
        "VALUES ({rowid}, 'other', 1, 'forged', x'00')"
    ),
    "insert behind the end": (
        "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
        "VALUES ({rowid}, 'other', 1, 'forged', x'00')"
    ),
    "insert at rowid -1": (
        "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
        "VALUES (-1, 'other', 1, 'forged', x'00')"
    ),
}


@pytest.mark.parametrize("statement", list(SQLITE_CHANGES.values()), ids=list(SQLITE_CHANGES))
def test_sqlite_refuses_every_change_of_a_recorded_event(
    sqlite_store: tuple[Ledger, Note, Path], statement: str
) -> None:
    app, note, path = sqlite_store
    note.edit("second")
    app.save(note)  # two events, so "behind the end" has room: rowid 1 is taken, 2 is last
    before = sqlite_rows(path)
    (rowid, originator_id, version, *_) = before[0]
    first = f"'{originator_id}', {version}"
    with (
        sqlite3.connect(path) as conn,
        pytest.raises(sqlite3.IntegrityError, match=APPEND_ONLY_MESSAGE),
    ):
        conn.execute(statement.format(first=first, rowid=rowid))
    assert sqlite_rows(path) == before


def test_sqlite_refuses_a_duplicate_as_an_integrity_error(
    sqlite_store: tuple[Ledger, Note, Path],
) -> None:
    """The library still sees a taken aggregate version as a conflict (IntegrityError)."""
    app, _, path = sqlite_store
    existing = app.recorder.select_notifications(1, 1)
    with pytest.raises(IntegrityError):
        app.recorder.insert_events(existing)
    assert len(sqlite_rows(path)) == 1


def test_sqlite_takes_events_at_the_end_with_a_rowid_given(
    sqlite_store: tuple[Ledger, Note, Path],
) -> None:
    _, _, path = sqlite_store
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
            "VALUES (5, 'new', 1, 'topic', x'00')"
        )
    assert [row[0] for row in sqlite_rows(path)] == [1, 5]


def test_sqlite_still_records_new_events(sqlite_store: tuple[Ledger, Note, Path]) -> None:
    app, note, path = sqlite_store
    note.edit("second")
    other = Note("other")
    app.save(note, other)
    assert app.repository.get(note.id).text == "second"
    assert app.repository.get(other.id).text == "other"
    assert len(sqlite_rows(path)) == 3
    # A freshly opened application reads them back too.
    reopened = Ledger(env=sqlite_env(path))
    assert reopened.repository.get(note.id).version == 2
    reopened.close()


def test_sqlite_protecting_twice_is_harmless(sqlite_store: tuple[Ledger, Note, Path]) -> None:
    app, note, path = sqlite_store
    protect_sqlite(path)
    protect_sqlite(path)
    with sqlite3.connect(path) as conn:
        triggers = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'stored_events'"
        ).fetchall()
        with pytest.raises(sqlite3.IntegrityError, match=APPEND_ONLY_MESSAGE):
            conn.execute("DELETE FROM stored_events")
    assert len(triggers) == 4
    note.edit("still writable")
    app.save(note)


def test_sqlite_other_tables_stay_writable(sqlite_store: tuple[Ledger, Note, Path]) -> None:
    _, _, path = sqlite_store
    with sqlite3.connect(path) as conn:
        guarded = {
            row[0]
            for row in conn.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        }
    assert guarded == {"stored_events"}


def test_sqlite_protecting_before_the_store_exists_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite"
    with pytest.raises(EventStoreNotReadyError):
        protect_sqlite(missing)
    assert not missing.exists()
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    with pytest.raises(EventStoreNotReadyError):
        protect_sqlite(empty)


def test_the_real_application_is_protected_on_sqlite(tmp_path: Path) -> None:
    app = build_application(Settings.from_env({}, home=tmp_path))
    path = Settings.from_env({}, home=tmp_path).sqlite_path
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO stored_events VALUES ('x', 1, 'topic', x'00')")
        with pytest.raises(sqlite3.IntegrityError, match=APPEND_ONLY_MESSAGE):
            conn.execute("DELETE FROM stored_events")
    app.close()


# --- PostgreSQL -------------------------------------------------------------------------


def pg_connect(env: dict[str, str]) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(
        host=env["POSTGRES_HOST"],
        port=int(env["POSTGRES_PORT"]),
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"],
        dbname=env["POSTGRES_DBNAME"],
        autocommit=True,
    )


def events_table(env: dict[str, str], app_name: str) -> sql.Composed:
    schema = env.get("POSTGRES_SCHEMA") or "public"
    return sql.SQL("{}.{}").format(
        sql.Identifier(schema), sql.Identifier(postgres_events_table(app_name))
    )


def pg_rows(env: dict[str, str]) -> list[tuple[object, ...]]:
    with pg_connect(env) as conn:
        return conn.execute(
            sql.SQL("SELECT * FROM {} ORDER BY notification_id").format(
                events_table(env, Ledger.name)
            )
        ).fetchall()


@pytest.fixture(params=["public", "es"])
def pg_store(
    request: pytest.FixtureRequest, fresh_postgres_env: dict[str, str]
) -> Iterator[tuple[Ledger, Note, dict[str, str]]]:
    """The library's default schema, and a named one, to prove the guard follows POSTGRES_SCHEMA."""
    env = dict(fresh_postgres_env)
    if request.param != "public":
        with pg_connect(env) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(request.param)))
        env["POSTGRES_SCHEMA"] = request.param
    app = Ledger(env=env)
    note = Note("first")
    app.save(note)
    protect_postgres(env, app.name)
    yield app, note, env
    app.close()


pg = pytest.mark.postgres


@pg
def test_the_events_table_is_named_after_the_application(
    pg_store: tuple[Ledger, Note, dict[str, str]],
) -> None:
    _, _, env = pg_store
    assert postgres_events_table("Ledger") == "ledger_events"
    assert postgres_events_table("") == "stored_events"
    assert len(pg_rows(env)) == 1


@pg
@pytest.mark.parametrize(
    ("operation", "statement"),
    [
        ("UPDATE", "UPDATE {} SET topic = 'forged', state = '\\x00'"),
        ("DELETE", "DELETE FROM {}"),
        ("TRUNCATE", "TRUNCATE {}"),
    ],
    ids=["update", "delete", "truncate"],
)
def test_postgres_refuses_changes(
    pg_store: tuple[Ledger, Note, dict[str, str]], operation: str, statement: str
) -> None:
    _, _, env = pg_store
    before = pg_rows(env)
    with (
        pg_connect(env) as conn,
        pytest.raises(psycopg.errors.RaiseException, match=f"{APPEND_ONLY_MESSAGE}: {operation}"),
    ):
        conn.execute(sql.SQL(statement).format(events_table(env, Ledger.name)))
    assert pg_rows(env) == before
    assert len(before) == 1


PG_CHANGES = {
    "insert or replace": "INSERT OR REPLACE INTO {table} VALUES ({first}, 'forged', '\\x00')",
    "replace into": "REPLACE INTO {table} VALUES ({first}, 'forged', '\\x00')",
    "upsert": (
        "INSERT INTO {table} (originator_id, originator_version, topic, state) "
        "VALUES ({first}, 'forged', '\\x00') "
        "ON CONFLICT (originator_id, originator_version) DO UPDATE SET topic = 'forged'"
    ),
    "insert behind the end": (
        "INSERT INTO {table} (originator_id, originator_version, topic, state, notification_id) "
        "VALUES (gen_random_uuid(), 1, 'forged', '\\x00', 2)"
    ),
}


@pg
@pytest.mark.parametrize("statement", list(PG_CHANGES.values()), ids=list(PG_CHANGES))
def test_postgres_refuses_every_replacement_of_a_recorded_event(
    pg_store: tuple[Ledger, Note, dict[str, str]], statement: str
) -> None:
    """REPLACE is no PostgreSQL syntax; an upsert fires the UPDATE trigger; an event given a
    notification id behind the end (into a gap a refused insert left) is refused."""
    app, note, env = pg_store
    existing = app.recorder.select_notifications(1, 1)
    with pytest.raises(IntegrityError):
        app.recorder.insert_events(existing)  # consumes notification id 2: a gap
    note.edit("second")
    app.save(note)  # notification id 3
    before = pg_rows(env)
    originator_id, version = before[0][0], before[0][1]
    first = f"'{originator_id}', {version}"
    with pg_connect(env) as conn, pytest.raises(psycopg.Error) as caught:
        conn.execute(
            sql.SQL(statement.format(table="{}", first=first)).format(
                events_table(env, Ledger.name)
            )
        )
    if "REPLACE" not in statement:
        assert isinstance(caught.value, psycopg.errors.RaiseException)
        assert APPEND_ONLY_MESSAGE in str(caught.value)
    assert pg_rows(env) == before


@pg
def test_postgres_refuses_events_behind_a_sequence_set_back(
    pg_store: tuple[Ledger, Note, dict[str, str]],
) -> None:
    app, note, env = pg_store
    existing = app.recorder.select_notifications(1, 1)
    with pytest.raises(IntegrityError):
        app.recorder.insert_events(existing)  # consumes notification id 2: a gap
    note.edit("second")
    app.save(note)  # notification id 3
    before = pg_rows(env)
    table = postgres_events_table(Ledger.name)
    schema = env.get("POSTGRES_SCHEMA") or "public"
    with pg_connect(env) as conn:
        conn.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), 2, false)",
            (f"{schema}.{table}",),
        )
    with pytest.raises(Exception, match=APPEND_ONLY_MESSAGE):
        app.save(Note("late"))
    assert pg_rows(env) == before


@pg
def test_postgres_still_records_new_events(pg_store: tuple[Ledger, Note, dict[str, str]]) -> None:
    app, note, env = pg_store
    note.edit("second")
    other = Note("other")
    app.save(note, other)
    assert app.repository.get(note.id).text == "second"
    assert app.repository.get(other.id).text == "other"
    assert len(pg_rows(env)) == 3


@pg
def test_postgres_protecting_twice_is_harmless(
    pg_store: tuple[Ledger, Note, dict[str, str]],
) -> None:
    app, note, env = pg_store
    protect_postgres(env, app.name)
    protect_postgres(env, app.name)
    with pg_connect(env) as conn:
        triggers = conn.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            (events_table(env, app.name).as_string(conn),),
        ).fetchall()
        with pytest.raises(psycopg.errors.RaiseException, match=APPEND_ONLY_MESSAGE):
            conn.execute(sql.SQL("DELETE FROM {}").format(events_table(env, app.name)))
    assert sorted(triggers) == [
        ("monev_append_only_order",),
        ("monev_append_only_rows",),
        ("monev_append_only_truncate",),
    ]
    note.edit("still writable")
    app.save(note)
    assert len(pg_rows(env)) == 2


@pg
def test_postgres_protecting_before_the_store_exists_is_an_error(
    fresh_postgres_env: dict[str, str],
) -> None:
    with pytest.raises(EventStoreNotReadyError, match="ledger_events"):
        protect_postgres(fresh_postgres_env, "Ledger")


@pg
def test_the_real_application_is_protected_on_postgres(
    tmp_path: Path, fresh_postgres_env: dict[str, str]
) -> None:
    app = build_application(Settings.from_env(fresh_postgres_env, home=tmp_path))
    table = sql.Identifier(postgres_events_table(app.name))
    with pg_connect(fresh_postgres_env) as conn:
        # Row triggers fire only for rows, so give DELETE one to refuse.
        conn.execute(
            sql.SQL(
                "INSERT INTO {} (originator_id, originator_version, topic, state) "
                "VALUES (gen_random_uuid(), 1, 'topic', '\\x00')"
            ).format(table)
        )
        with pytest.raises(psycopg.errors.RaiseException, match=APPEND_ONLY_MESSAGE):
            conn.execute(sql.SQL("TRUNCATE {}").format(table))
        with pytest.raises(psycopg.errors.RaiseException, match=APPEND_ONLY_MESSAGE):
            conn.execute(sql.SQL("DELETE FROM {}").format(table))
    app.close()
