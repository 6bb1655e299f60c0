"""Catch-up against a real SQLite store: typed rows, incremental = rebuild, gaps, upcasting."""

from __future__ import annotations

import functools
import json
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import StoredEvent
from operations_support import sqlite_settings
from test_projection_helpers import (
    copy_store,
    fill_store,
    open_reader,
    open_store,
    sqlite_env,
    table_digests,
    tracked_position,
)

from domain.actors import ADMIN, Actor
from domain.events import all_event_classes
from projections.batch import PageBuilder
from projections.database import BuildDatabase, ConcurrentWriteError
from projections.projector import CatchUpStoppedError, StoreBehindError, catch_up
from projections.refresh import open_store as open_for_projection
from projections.schema import event_table

ADMIN_ACTOR = Actor("admin", ADMIN)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], int]:
    env = sqlite_env(tmp_path_factory.mktemp("demo"))
    app = open_store(env)
    head = fill_store(app)
    app.close()
    return env, head


@pytest.fixture
def store(demo_store: tuple[dict[str, str], int], tmp_path: Path) -> tuple[dict[str, str], int]:
    template, head = demo_store
    return copy_store(template, tmp_path / "store"), head


def project(env: dict[str, str], path: Path, **options: object) -> int:
    result = catch_up(
        open_store(env),
        path,
        event_classes=all_event_classes(),
        factory=functools.partial(open_reader, env),
        **options,  # type: ignore[arg-type]
    )
    return result.events


def test_every_event_lands_once_in_its_typed_table_and_the_log(
    store: tuple[dict[str, str], int], tmp_path: Path
) -> None:
    env, head = store
    path = tmp_path / "build.duckdb"
    assert project(env, path) == head
    app = open_store(env)
    decoded = [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, head)]
    registered = next(
        e for e in decoded if type(e).__name__ == "Registered" and hasattr(e, "pagu_rp")
    )
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        assert con.execute("SELECT count(*) FROM events.event_log").fetchone() == (head,)
        by_type = dict(
            con.execute("SELECT event_type, count(*) FROM events.event_log GROUP BY ALL").fetchall()
        )
        assert sum(by_type.values()) == head
        for event_type, count in by_type.items():
            table = event_table(
                next(c for c in all_event_classes() if c.TOPIC.endswith(":" + event_type))
            )
            assert con.execute(f"SELECT count(*) FROM {table.qualified_name}").fetchone() == (
                count,
            )
        row = con.execute(
            "SELECT aggregate_id, aggregate_version, recorded_at, code, kecamatan_code, pagu_rp, "
            "quarterly_targets, is_joint, actor_user, actor_role, actor_opd "
            "FROM events.activity_registered WHERE code = ?",
            [registered.code],  # type: ignore[attr-defined]
        ).fetchone()
    assert row is not None
    assert row[0] == registered.originator_id
    assert row[1] == registered.originator_version
    assert row[2] == registered.timestamp and row[2].utcoffset().total_seconds() == 0
    assert row[3:8] == (
        registered.code,  # type: ignore[attr-defined]
        registered.kecamatan_code,  # type: ignore[attr-defined]
        registered.pagu_rp,  # type: ignore[attr-defined]
        [float(x) for x in registered.quarterly_targets],  # type: ignore[attr-defined]
        registered.is_joint,  # type: ignore[attr-defined]
    )
    actor = registered.actor  # type: ignore[attr-defined]
    assert row[8:] == (actor.user_id, actor.role, actor.opd_code)
    assert tracked_position(path) == head


def test_an_empty_store_still_gets_every_typed_table(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path / "empty")
    path = tmp_path / "build.duckdb"
    assert project(env, path) == 0
    digests = table_digests(path)
    expected = {event_table(c).name for c in all_event_classes()} | {"event_log"}
    assert set(digests) == expected
    assert all(count == 0 for count, _ in digests.values())


def test_incremental_catch_up_equals_a_rebuild(
    store: tuple[dict[str, str], int], tmp_path: Path
) -> None:
    env, head = store
    incremental = tmp_path / "incremental.duckdb"
    project(env, incremental, page_size=50)
    app = open_store(env)
    app.register_opd(ADMIN_ACTOR, code="LATER", name="Dinas Kemudian", short_name="Later")
    app.register_mentor(
        ADMIN_ACTOR, code="M-LATER", name="Mentor Baru", recruited_by_opd="LATER",
        kind="kecamatan", registered_on=date(2017, 9, 1),
    )  # fmt: skip
    added = (app.recorder.max_notification_id() or 0) - head
    assert added >= 2
    assert project(env, incremental, page_size=50) == added
    assert project(env, incremental) == 0
    rebuilt = tmp_path / "rebuilt.duckdb"
    project(env, rebuilt)
    assert table_digests(incremental) == table_digests(rebuilt)


def test_gaps_in_notification_ids_are_skipped_across_page_boundaries(
    store: tuple[dict[str, str], int], tmp_path: Path
) -> None:
    env, head = store  # no append-only guard: this test makes the gaps
    removed = [*range(10, 24), 50, 51, 52, 99]
    with sqlite3.connect(env["SQLITE_DBNAME"]) as con:
        con.executemany("DELETE FROM stored_events WHERE rowid = ?", [(i,) for i in removed])
    path = tmp_path / "build.duckdb"
    assert project(env, path, page_size=7) == head - len(removed)
    assert tracked_position(path) == head
    with duckdb.connect(str(path), read_only=True) as con:
        positions = [
            p for (p,) in con.sql("SELECT position FROM events.event_log ORDER BY 1").fetchall()
        ]
    assert positions == [p for p in range(1, head + 1) if p not in removed]
    fresh = tmp_path / "fresh.duckdb"
    project(env, fresh, page_size=1000)
    assert table_digests(path) == table_digests(fresh)


def test_worker_processes_give_the_same_tables(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path / "scaled")
    fill_store(open_store(env), scale=1500)
    parallel, sequential = tmp_path / "parallel.duckdb", tmp_path / "sequential.duckdb"
    project(env, parallel, workers=2, page_size=300)
    project(env, sequential, workers=0, page_size=300)
    assert table_digests(parallel) == table_digests(sequential)


class Widget(Aggregate):
    """A stand-in aggregate whose event gained a field, with an upcaster for old events."""

    class Made(Aggregate.Created):
        TOPIC = "monev-test:WidgetMade"
        class_version = 2
        name: str
        colour: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["colour"] = "grey"

    def __init__(self, name: str, colour: str) -> None:
        self.name, self.colour = name, colour


def test_old_events_are_upcast_by_the_mapper_before_projection(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path / "widgets")
    app = Application(env=env)
    new = Widget(name="new", colour="red")
    old = Widget(name="old", colour="ignored")
    app.save(new)
    stored = app.mapper.to_stored_event(old.collect_events()[0])
    state = json.loads(stored.state)
    del state["colour"], state["class_version"]  # as version 1 of the class stored it
    app.recorder.insert_events(
        [StoredEvent(stored.originator_id, stored.originator_version, stored.topic,
                     json.dumps(state).encode())]
    )  # fmt: skip
    path = tmp_path / "build.duckdb"
    catch_up(app, path, event_classes=[Widget.Made])
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "SELECT name, colour FROM events.widget_made ORDER BY position"
        ).fetchall()
    assert rows == [("new", "red"), ("old", "grey")]


def test_a_changed_event_class_makes_the_projection_replay(
    store: tuple[dict[str, str], int], tmp_path: Path
) -> None:
    env, _ = store
    path = tmp_path / "build.duckdb"
    project(env, path)
    with duckdb.connect(str(path)) as con:
        con.execute(
            "UPDATE projection.event_tables SET fingerprint = 'old' "
            "WHERE table_name = 'evaluation_recorded'"
        )
    result = catch_up(open_store(env), path, event_classes=all_event_classes())
    assert result.replayed_because and "EvaluationRecorded" in result.replayed_because
    fresh = tmp_path / "fresh.duckdb"
    project(env, fresh)
    assert table_digests(path) == table_digests(fresh)


def test_a_damaged_projection_file_is_replayed_from_the_events(
    store: tuple[dict[str, str], int], tmp_path: Path
) -> None:
    """As a kill mid-write can leave it: a block half rewritten fails DuckDB's checksum."""
    env, _ = store
    path = tmp_path / "build.duckdb"
    project(env, path)
    first_block = 3 * 4096  # after DuckDB's three header pages
    with path.open("r+b") as file:
        file.seek(first_block + 2 * 4096)
        file.write(b"\xff" * 4096)
    with pytest.raises(duckdb.Error, match="Corrupt database file"):
        duckdb.connect(str(path), read_only=True)
    result = catch_up(open_store(env), path, event_classes=all_event_classes())
    assert result.replayed_because and "damaged" in result.replayed_because
    fresh = tmp_path / "fresh.duckdb"
    project(env, fresh)
    assert table_digests(path) == table_digests(fresh)


def test_a_database_error_other_than_damage_is_not_replayed_away(
    store: tuple[dict[str, str], int], tmp_path: Path
) -> None:
    """Another process holding the file (a lock) must not cost it its projection."""
    env, _ = store
    path = tmp_path / "build.duckdb"
    project(env, path)
    before = table_digests(path)
    script = tmp_path / "holder.py"
    script.write_text(
        "import duckdb, sys, time\n"
        f"con = duckdb.connect({str(path)!r})\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(duckdb.Error, match="lock"):
            catch_up(open_store(env), path, event_classes=all_event_classes())
    finally:
        holder.kill()
        holder.wait()
    assert table_digests(path) == before


def test_a_page_is_never_applied_twice_or_out_of_order(
    store: tuple[dict[str, str], int], tmp_path: Path
) -> None:
    env, _ = store
    app = open_store(env)
    builder = PageBuilder()
    for notification in app.recorder.select_notifications(1, 5):
        builder.add(notification.id, app.mapper.to_domain_event(notification))
    page = builder.build(0, 5)
    with BuildDatabase(tmp_path / "build.duckdb") as database:
        database.write(page)
        with pytest.raises(ConcurrentWriteError):
            database.write(page)
        assert database.position == 5
    assert table_digests(tmp_path / "build.duckdb")["event_log"][0] == 5


def test_stopping_keeps_the_pages_already_committed(
    store: tuple[dict[str, str], int], tmp_path: Path
) -> None:
    env, head = store
    path = tmp_path / "build.duckdb"
    pages: list[int] = []

    def stop_after_two() -> bool:
        return len(pages) >= 2

    with pytest.raises(CatchUpStoppedError):
        catch_up(
            open_store(env),
            path,
            event_classes=all_event_classes(),
            page_size=40,
            on_page=lambda page, _: pages.append(page.last_position),
            should_stop=stop_after_two,
        )
    assert tracked_position(path) == pages[-1] == 80
    assert project(env, path, page_size=40) == head - 80
    fresh = tmp_path / "fresh.duckdb"
    project(env, fresh)
    assert table_digests(path) == table_digests(fresh)


def test_a_store_behind_the_projection_is_refused_with_the_way_out(
    store: tuple[dict[str, str], int], tmp_path: Path
) -> None:
    env, _ = store
    path = tmp_path / "build.duckdb"
    project(env, path)
    replaced = sqlite_env(tmp_path / "replaced")
    with pytest.raises(StoreBehindError, match="monev rebuild"):
        project(replaced, path)


def test_projection_workers_open_the_store_without_creating_its_tables(tmp_path: Path) -> None:
    """Workers only read: on PostgreSQL, two of them creating the same table at once fail."""
    settings = sqlite_settings(tmp_path / "home")
    (tmp_path / "home").mkdir()
    open_for_projection(settings)
    with sqlite3.connect(settings.sqlite_path) as con:
        tables = con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert tables == []
    open_store(dict(settings.application_env()))  # a writer creates them
    with sqlite3.connect(settings.sqlite_path) as con:
        tables = con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert tables != []
