"""Shared by the production-topology tests: the CLI as a user runs it, stores read row by row.

Kept beside ``conftest.py`` (importable the same way as ``pg_server``) rather than in it, since
only the backup, migration, doctor and topology tests use it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path

import duckdb
import typer
from click.testing import Result
from typer.testing import CliRunner

from apps.cli import context
from apps.cli.main import app
from domain.actors import Actor
from eventstore.settings import Settings
from eventstore.stores import (
    PostgresTarget,
    StoredRow,
    postgres_pages,
    sqlite_connect,
    sqlite_pages,
)

ADMIN = Actor("admin", "admin")

# Settings a test must not inherit from the developer's shell.
_ISOLATED = (
    "MONEV_CONFIG",
    "MONEV_EVENT_STORE",
    "MONEV_USER",
    "MONEV_USERS_FILE",
    "PERSISTENCE_MODULE",
    "APPLICATION_RECORDER_TOPIC",
)


def monev_app() -> typer.Typer:
    """`monev` (its root group builds each command when it is used, ``apps.cli.lazy``)."""
    return app


def run_cli(args: list[str], env: Mapping[str, str], stdin: str | None = None) -> Result:
    """Runs `monev ARGS` in this process with exactly these settings, as a fresh process would."""
    from os import environ

    overrides: dict[str, str | None] = {name: None for name in _ISOLATED}
    overrides.update({name: None for name in environ if name.startswith("POSTGRES_")})
    overrides["MONEV_LANG"] = "en"  # the operations tests read the English wording
    overrides.update(env)
    context.settings.cache_clear()
    context.application.cache_clear()
    try:
        return CliRunner().invoke(monev_app(), args, env=overrides, input=stdin)
    finally:
        context.settings.cache_clear()
        context.application.cache_clear()


def sqlite_settings(home: Path) -> Settings:
    return Settings.from_env({}, home=home)


def postgres_settings(env: Mapping[str, str], home: Path) -> Settings:
    return Settings.from_env(dict(env), home=home)


def stored_rows(settings: Settings) -> list[StoredRow]:
    """Every event of the store, in notification order, exactly as stored."""
    if settings.event_store == "sqlite":
        if not settings.sqlite_path.is_file():
            return []
        with closing(sqlite_connect(settings.sqlite_path)) as conn:
            return [row for page in sqlite_pages(conn) for row in page]
    target = PostgresTarget.from_settings(settings.postgres)
    with target.connect() as conn:
        return [row for page in postgres_pages(conn, target) for row in page]


def sqlite_file_rows(path: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT rowid, * FROM stored_events ORDER BY rowid").fetchall()


def warehouse_fingerprint(
    warehouse: Path, schemas: tuple[str, ...] = ("marts", "events")
) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of the ordered content of every table in ``schemas``.

    Floating-point values are rounded to 6 decimals first: DuckDB sums doubles in parallel,
    so the last bits may differ between two correct builds of the same data. Lists keep
    their order: a mart whose lists came out in a different order is a different mart.
    """
    fingerprint: dict[str, tuple[int, str]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            f"WHERE table_schema IN ({', '.join('?' for _ in schemas)}) ORDER BY 1, 2",
            list(schemas),
        ).fetchall()
        for schema, table in tables:
            columns = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
                [schema, table],
            ).fetchall()
            parts = [_comparable(name, kind) for name, kind in columns]
            row_text = (
                "concat_ws('|', "
                + ", ".join(f"coalesce(CAST({part} AS VARCHAR), 'NULL')" for part in parts)
                + ")"
            )
            row = con.execute(
                "SELECT count(*), md5(coalesce(string_agg(r, chr(10) ORDER BY r), '')) "
                f'FROM (SELECT {row_text} AS r FROM "{schema}"."{table}")'
            ).fetchone()
            assert row is not None
            fingerprint[f"{schema}.{table}"] = (int(row[0]), str(row[1]))
    return fingerprint


def _comparable(name: str, kind: str) -> str:
    column = f'"{name}"'
    if kind in ("DOUBLE", "FLOAT", "REAL"):
        return f"round({column}, 6)"
    if kind in ("DOUBLE[]", "FLOAT[]", "REAL[]"):
        return f"list_transform({column}, lambda x: round(x, 6))"
    return column
