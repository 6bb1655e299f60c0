"""Shared by the projection tests: real stores to project, and table digests to compare.

(No tests here; the name keeps it among the projection tests it serves.)
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import duckdb

from apps.demo import load_demo
from apps.demo_scale import load_scale
from domain.actors import ADMIN, Actor
from domain.agencies import Opd
from domain.application import Monev
from domain.programs import Program
from projections.schema import EVENTS_SCHEMA

Digests = dict[str, tuple[int, str]]
ADMIN_ACTOR = Actor("admin", ADMIN)


def sqlite_env(home: Path) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(home / "events.sqlite"),
        "SQLITE_LOCK_TIMEOUT": "30",
    }


def open_store(env: Mapping[str, str]) -> Monev:
    """Opens (and creates) the store, as a writer does."""
    return Monev(env=dict(env))


def open_reader(env: Mapping[str, str]) -> Monev:
    """Picklable by reference, for projection workers: ``functools.partial(open_reader, env)``.

    Opens the store without creating its tables, as ``projections.refresh.open_store`` does.
    """
    return Monev(env={**env, "CREATE_TABLE": "n"})


def fill_store(app: Monev, scale: int = 0) -> int:
    """The demo story (every event type) plus ``scale`` synthetic events; returns the head."""
    load_demo(app)
    if scale:
        load_scale(app, scale)
    return app.recorder.max_notification_id() or 0


def grow_store(app: Monev, count: int) -> None:
    """Appends ``count`` events of two types in one transaction, as a busy day would."""
    first = app.recorder.max_notification_id() or 0
    opds = [
        Opd(code=f"G{first}-{i}", name=f"Dinas {i}", short_name=f"D{i}", actor=ADMIN_ACTOR)
        for i in range(count // 2)
    ]
    programs = [
        Program(code=f"GP{first}-{i}", name="Program", opd_code=o.code, fiscal_year=2018,
                actor=ADMIN_ACTOR)
        for i, o in enumerate(opds)
    ]  # fmt: skip
    app.save(*opds, *programs)


def copy_store(template: dict[str, str], home: Path) -> dict[str, str]:
    """A private copy of a store built once per module (the demo takes seconds to record)."""
    env = sqlite_env(home)
    source = Path(template["SQLITE_DBNAME"])
    for file in source.parent.glob(source.name + "*"):
        shutil.copyfile(file, home / file.name.replace(source.name, "events.sqlite"))
    return env


def table_digests(path: Path) -> Digests:
    """Row count and a checksum of the ordered content of every table in schema ``events``."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
                "ORDER BY table_name",
                [EVENTS_SCHEMA],
            ).fetchall()
        ]
        digests: Digests = {}
        for name in names:
            row = con.execute(
                f"SELECT count(*), coalesce(md5(string_agg(CAST(t AS VARCHAR), '|' "
                f"ORDER BY position)), '') FROM {EVENTS_SCHEMA}.\"{name}\" AS t"
            ).fetchone()
            assert row is not None
            digests[name] = (int(row[0]), str(row[1]))
    return digests


def tracked_position(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute("SELECT last_position FROM projection.tracking").fetchone()
    return 0 if row is None else int(row[0])
