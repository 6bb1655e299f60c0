"""``monev backup DIR`` and ``monev restore DIR``: a consistent copy of the event store.

The event store is the only source of truth (the warehouse is rebuilt from it), so a backup
is the events and nothing else, plus a manifest that lets a restore prove it got them all:

- SQLite: ``DIR/events.sqlite`` made with SQLite's online backup API, which copies one
  consistent snapshot while the store stays in use.
- PostgreSQL: ``DIR/events.pgdump``, pg_dump's custom format of the events table. The count,
  last position and digest in the manifest are read in the very snapshot pg_dump copies
  (``pg_export_snapshot``), so they describe the dump exactly, however busy the store is.

``DIR/manifest.json`` records the store kind, event count, last position, a digest of every
event with its notification id (``content_sha256``), the store's fingerprint at the last
position (the hash chain of ``docs/fingerprint.md``, which reports print), the file's sha256,
when it was made and by which monev. A restore refuses a store that already has events,
checks the file against the manifest before touching anything, and after copying checks the
restored events against the manifest's digest and fingerprint. Notification ids are kept as
they were, gaps included, because the warehouse's projection tracks positions by them; a
rebuild afterwards gives the same marts.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from eventstore.settings import Settings
from eventstore.stores import (
    PostgresTarget,
    StoreOperationError,
    StoreSummary,
    events,
    postgres_count,
    postgres_has_events_table,
    postgres_pages,
    sqlite_connect,
    sqlite_count,
    sqlite_summary,
    summarise,
)

MANIFEST = "manifest.json"
FORMAT = "monev-backup/1"
FILES = {"sqlite": "events.sqlite", "postgres": "events.pgdump"}
KINDS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


@dataclass(frozen=True)
class Manifest:
    """What a backup directory holds; written last, so a directory with one is complete."""

    store: str
    file: str
    sha256: str
    event_count: int
    last_position: int
    content_sha256: str
    created_at: str
    monev_version: str
    format: str = FORMAT
    postgres: dict[str, str] = field(default_factory=dict)
    # The event store's fingerprint at last_position (docs/fingerprint.md); "" in backups
    # made before monev fingerprinted its store.
    fingerprint: str = ""

    def write(self, directory: Path) -> None:
        path = directory / MANIFEST
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        path = directory / MANIFEST
        if not path.is_file():
            msg = f"{directory} has no {MANIFEST}: it is not a monev backup, or an unfinished one."
            raise StoreOperationError(msg)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            manifest = cls(**data)
        except (ValueError, TypeError) as error:
            msg = f"{path} is damaged or not a monev manifest ({error})."
            raise StoreOperationError(msg) from None
        if manifest.format != FORMAT:
            msg = f"{path} has format {manifest.format!r}; this monev reads {FORMAT!r}."
            raise StoreOperationError(msg)
        return manifest


def _version() -> str:
    try:
        return metadata.version("monev")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def find_pg_tool(name: str) -> Path:
    """pg_dump or pg_restore: on PATH, else Debian's versioned directories, newest first."""
    on_path = shutil.which(name)
    if on_path:
        return Path(on_path)
    versioned = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
        reverse=True,
    )
    if versioned:
        return versioned[0]
    msg = (
        f"{name} was not found on PATH or in /usr/lib/postgresql/*/bin; install the PostgreSQL "
        "client programs (Debian: apt-get install postgresql-client)."
    )
    raise StoreOperationError(msg)


def _prepare_directory(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        msg = f"{directory} is a file; give a directory for the backup."
        raise StoreOperationError(msg)
    if directory.is_dir() and any(directory.iterdir()):
        msg = (
            f"{directory} is not empty; give a new or empty directory so no backup is overwritten."
        )
        raise StoreOperationError(msg)
    directory.mkdir(parents=True, exist_ok=True)


# -- backup ------------------------------------------------------------------------------


def backup(settings: Settings, directory: Path) -> Manifest:
    """Writes a consistent copy of the configured event store and its manifest to ``directory``."""
    if settings.event_store == "sqlite":
        return _backup_sqlite(settings, directory)
    if settings.event_store == "postgres":
        return _backup_postgres(settings, directory)
    msg = f"The {settings.event_store} event store lives in memory; there is nothing to back up."
    raise StoreOperationError(msg)


def _backup_sqlite(settings: Settings, directory: Path) -> Manifest:
    source_path = settings.sqlite_path
    if not source_path.is_file():
        msg = f"There is no event store at {source_path} to back up (is MONEV_HOME right?)."
        raise StoreOperationError(msg)
    _prepare_directory(directory)
    copy = directory / FILES["sqlite"]
    with closing(sqlite_connect(source_path)) as source, closing(sqlite3.connect(copy)) as dest:
        source.backup(dest)
    # Count and digest the copy itself, so the manifest describes exactly what was written.
    summary = sqlite_summary(copy, digest=True)
    manifest = Manifest(
        store="sqlite",
        file=copy.name,
        sha256=file_sha256(copy),
        event_count=summary.event_count,
        last_position=summary.last_position,
        content_sha256=summary.content_sha256 or "",
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        monev_version=_version(),
        fingerprint=summary.fingerprint or "",
    )
    manifest.write(directory)
    return manifest


def _backup_postgres(settings: Settings, directory: Path) -> Manifest:
    target = _postgres_target(settings)
    pg_dump = find_pg_tool("pg_dump")
    _prepare_directory(directory)
    dump = directory / FILES["postgres"]
    with target.connect() as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        if not postgres_has_events_table(conn, target):
            msg = f"There is no events table in {target.description} to back up."
            raise StoreOperationError(msg)
        snapshot_row = conn.execute("SELECT pg_export_snapshot(), version()").fetchone()
        assert snapshot_row is not None
        snapshot, server_version = snapshot_row
        summary = summarise(postgres_pages(conn, target))
        # pg_dump copies the snapshot this transaction exported, which stays open meanwhile.
        _run_tool(
            [
                str(pg_dump),
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--table={target.qualified.as_string(conn)}",
                "--no-owner",
                "--no-privileges",
                f"--file={dump}",
            ],
            target,
            "pg_dump",
        )
        conn.rollback()
    manifest = Manifest(
        store="postgres",
        file=dump.name,
        sha256=file_sha256(dump),
        event_count=summary.event_count,
        last_position=summary.last_position,
        content_sha256=summary.content_sha256 or "",
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        monev_version=_version(),
        fingerprint=summary.fingerprint or "",
        postgres={
            "schema": target.schema,
            "table": target.table,
            "server_version": str(server_version),
        },
    )
    manifest.write(directory)
    return manifest


def _run_tool(command: list[str], target: PostgresTarget, name: str) -> None:
    env = {**os.environ, **target.subprocess_env()}
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        msg = f"{name} failed (exit {result.returncode}): {detail}"
        raise StoreOperationError(msg)


def _postgres_target(settings: Settings) -> PostgresTarget:
    try:
        return PostgresTarget.from_settings(settings.postgres)
    except ValueError as error:
        raise StoreOperationError(str(error)) from None


# -- restore -----------------------------------------------------------------------------


def verify(directory: Path) -> Manifest:
    """Reads the manifest and checks the backup file against it, before anything is touched."""
    manifest = Manifest.read(directory)
    if manifest.store not in FILES:
        msg = f"The manifest names an unknown store kind {manifest.store!r}."
        raise StoreOperationError(msg)
    path = directory / manifest.file
    if not path.is_file():
        msg = f"The backup file {path} is missing."
        raise StoreOperationError(msg)
    if file_sha256(path) != manifest.sha256:
        msg = f"{path} does not match its manifest (sha256 differs): the copy is damaged."
        raise StoreOperationError(msg)
    return manifest


def restore(
    settings: Settings, directory: Path, *, on_step: Callable[[str], None] | None = None
) -> StoreSummary:
    """Copies a verified backup into the configured, empty event store; returns what it holds."""
    step = on_step or (lambda _: None)
    manifest = verify(directory)
    if manifest.store != settings.event_store:
        msg = (
            f"This is a backup of a {KINDS[manifest.store]} store, but monev is configured for "
            f"{KINDS.get(settings.event_store, settings.event_store)}. Restore it into a store "
            "of the same kind"
            + (
                ", then move it with `monev migrate --to postgres`."
                if manifest.store == "sqlite"
                else "."
            )
        )
        raise StoreOperationError(msg)
    step(
        f"Backup verified: {events(manifest.event_count)} up to position {manifest.last_position}."
    )
    if manifest.store == "sqlite":
        summary = _restore_sqlite(settings, directory / manifest.file)
    else:
        summary = _restore_postgres(settings, directory / manifest.file, manifest)
    if (summary.event_count, summary.last_position, summary.content_sha256) != (
        manifest.event_count,
        manifest.last_position,
        manifest.content_sha256,
    ):
        msg = (
            f"The restored store holds {events(summary.event_count)} up to position "
            f"{summary.last_position}, but the backup has {manifest.event_count} up to "
            f"{manifest.last_position} (or their contents differ). Do not use this store."
        )
        raise StoreOperationError(msg)
    if manifest.fingerprint and summary.fingerprint != manifest.fingerprint:
        msg = (
            f"The restored store's fingerprint at position {summary.last_position} is "
            f"{summary.fingerprint}, but the backup recorded {manifest.fingerprint}. "
            "Do not use this store."
        )
        raise StoreOperationError(msg)
    step(
        "Restored events match the manifest"
        + (f"; fingerprint {manifest.fingerprint} verified." if manifest.fingerprint else ".")
    )
    return summary


def _refuse_not_empty(count: StoreSummary, where: str) -> None:
    if count.event_count:
        msg = (
            f"The event store {where} already has {events(count.event_count)}; restore only "
            "fills an empty store. Point MONEV_HOME (or POSTGRES_DBNAME) at a new one."
        )
        raise StoreOperationError(msg)


def _restore_sqlite(settings: Settings, copy: Path) -> StoreSummary:
    target_path = settings.sqlite_path
    if target_path.is_file():
        with closing(sqlite_connect(target_path)) as conn:
            _refuse_not_empty(sqlite_count(conn), f"at {target_path}")
    target_path.parent.mkdir(parents=True, exist_ok=True)
    # The backup API writes through SQLite's locks, so even an open (empty) store is safe.
    with closing(sqlite_connect(copy)) as source, closing(sqlite3.connect(target_path)) as dest:
        source.backup(dest)
    return sqlite_summary(target_path, digest=True)


def _restore_postgres(settings: Settings, dump: Path, manifest: Manifest) -> StoreSummary:
    from eventstore.bootstrap import build_application

    target = _postgres_target(settings)
    where = (manifest.postgres.get("schema"), manifest.postgres.get("table"))
    if where != (target.schema, target.table):
        msg = (
            f"The backup holds {where[0]}.{where[1]} but the store is {target.schema}."
            f"{target.table}; set POSTGRES_SCHEMA to {where[0]!r} to restore it."
        )
        raise StoreOperationError(msg)
    pg_restore = find_pg_tool("pg_restore")
    # Starting the application creates the (empty) tables and guards, as on a first start.
    build_application(settings).close()
    with target.connect(autocommit=True) as conn:
        _refuse_not_empty(postgres_count(conn, target), f"in {target.description}")
    _run_tool(
        [
            str(pg_restore),
            "--data-only",
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={target.connect_kwargs['dbname']}",
            str(dump),
        ],
        target,
        "pg_restore",
    )
    with target.connect(autocommit=True) as conn:
        _advance_sequence(conn, target)
    with target.connect() as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        return summarise(postgres_pages(conn, target))


def _advance_sequence(conn: psycopg.Connection[Any], target: PostgresTarget) -> None:
    """Sets the notification id sequence past the restored events, so new ones follow them."""
    conn.execute(
        sql.SQL(
            "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), "
            "greatest((SELECT max(notification_id) FROM {table}), 1), "
            "(SELECT count(*) > 0 FROM {table}))"
        ).format(table=target.qualified),
        (target.qualified.as_string(conn),),
    )
