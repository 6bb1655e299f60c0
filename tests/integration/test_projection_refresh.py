"""refresh, rebuild, --as-of and --watch: publication by atomic rename, seen from readers.

dbt runs for real, on a two-model project written here (a view over the event log that
honours ``as_of``, and a table), so these tests do not depend on the state of the marts; the
real project is exercised by the end-to-end test at the bottom.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from pg_server import PostgresServer
from psycopg import sql
from test_projection_helpers import (
    copy_store,
    fill_store,
    grow_store,
    open_store,
    sqlite_env,
    table_digests,
)

from apps.messages import number
from apps.refresh import report_line, watch
from eventstore.settings import Settings
from projections.database import read_identity
from projections.dbt_build import DbtFailedError, DbtStoppedError, DbtWorker
from projections.publish import CANDIDATE_DIRECTORY, STAMP_TABLE, Stamp, read_stamp
from projections.refresh import Refresher, RefreshResult, build_path

DBT_PROJECT = {
    "dbt_project.yml": """
        name: monev_projection_test
        version: "0.1.0"
        config-version: 2
        profile: monev
        model-paths: ["models"]
        vars:
          as_of: null
    """,
    "profiles.yml": """
        monev:
          target: warehouse
          outputs:
            warehouse:
              type: duckdb
              path: "{{ env_var('MONEV_DUCKDB_PATH') }}"
              threads: 2
              settings:
                TimeZone: UTC
    """,
    "models/sources.yml": """
        version: 2
        sources:
          - name: events
            schema: events
            tables:
              - name: event_log
    """,
    "models/events_by_type.sql": """
        {{ config(materialized='view') }}
        select event_type, count(*) as events
        from {{ source('events', 'event_log') }}
        {% if var('as_of') %}
        where recorded_at <= cast('{{ var("as_of") }}' as timestamptz)
        {% endif %}
        group by event_type
    """,
    "models/event_total.sql": """
        {{ config(materialized='table') }}
        select sum(events) as events from {{ ref('events_by_type') }}
    """,
}


def write_project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), "utf-8")
    return root


@pytest.fixture(scope="module")
def dbt_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("dbt_project"), DBT_PROJECT)


@pytest.fixture(scope="module")
def dbt(dbt_project: Path) -> Iterator[DbtWorker]:
    with DbtWorker(dbt_project) as worker:
        yield worker


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = sqlite_env(tmp_path_factory.mktemp("demo"))
    app = open_store(env)
    fill_store(app)
    app.close()
    return env


@pytest.fixture
def settings(demo_store: dict[str, str], tmp_path: Path) -> Settings:
    copy_store(demo_store, tmp_path / "home")
    return Settings.from_env({}, home=tmp_path / "home")


@pytest.fixture
def refresher(settings: Settings, dbt: DbtWorker) -> Iterator[Refresher]:
    with Refresher(settings, dbt=dbt) as refresher:
        yield refresher


def published_total(path: Path) -> tuple[int, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute(
            "SELECT (SELECT events FROM main.event_total), (SELECT count(*) FROM events.event_log)"
        ).fetchone()
    assert row is not None
    return int(row[0] or 0), int(row[1])


def leftovers(settings: Settings) -> list[Path]:
    return list((settings.home / CANDIDATE_DIRECTORY).glob("*"))


def test_refresh_publishes_a_stamped_file_with_events_and_models(
    refresher: Refresher, settings: Settings
) -> None:
    head = refresher.app.recorder.max_notification_id()
    before = datetime.now(UTC)
    result = refresher.refresh()
    assert isinstance(result, RefreshResult)
    assert result.events == head and result.position == head
    assert result.published == settings.warehouse_path.resolve()
    line = report_line(result)  # Indonesian first, as every line monev writes
    assert f"{number(head, 'id')} peristiwa diproyeksikan" in line and "rencana build" in line
    assert str(settings.warehouse_path.resolve()) in line
    english = report_line(result, "en")
    assert f"{number(head, 'en')} events projected" in english and "build plan" in english
    stamp = read_stamp(settings.warehouse_path)
    assert stamp is not None
    assert (stamp.last_position, stamp.event_count, stamp.as_of) == (head, head, None)
    assert before <= stamp.data_as_of <= stamp.published_at <= datetime.now(UTC)
    assert stamp.event_store == "sqlite"
    assert published_total(settings.warehouse_path) == (head, head)  # the view still resolves
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        schemas = {s for (s,) in con.execute("SELECT schema_name FROM duckdb_schemas()").fetchall()}
    assert "events" in schemas and "projection" not in schemas
    assert leftovers(settings) == []
    # Nothing new: nothing is copied, built or published; readers keep the same file.
    published = settings.warehouse_path.stat()
    again = refresher.refresh()
    assert again.events == 0 and again.position == head and again.unchanged
    assert again.data_as_of == stamp.data_as_of and again.dbt_seconds == 0
    assert read_stamp(settings.warehouse_path) == stamp
    after = settings.warehouse_path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (published.st_ino, published.st_mtime_ns)
    assert "tidak ada yang baru" in report_line(again) and leftovers(settings) == []
    assert "nothing new" in report_line(again, "en")


READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import duckdb
    path, stop = Path(sys.argv[1]), Path(sys.argv[2])
    reads, errors, stamps, previous = 0, [], set(), None
    while not stop.exists():
        if not path.exists():
            time.sleep(0.01)
            continue
        try:
            with duckdb.connect(str(path), read_only=True) as con:
                as_of, position, count = con.execute(
                    "SELECT data_as_of, last_position, event_count FROM main.warehouse_meta"
                ).fetchone()
                logged, top = con.execute(
                    "SELECT count(*), coalesce(max(position), 0) FROM events.event_log"
                ).fetchone()
                total = con.execute("SELECT events FROM main.event_total").fetchone()[0]
            if (logged, top) != (count, position) or total != count:
                errors.append(f"incomplete snapshot: {count} {position} {logged} {top} {total}")
            if previous is not None and as_of < previous:
                errors.append(f"data as of went back from {previous} to {as_of}")
            previous = as_of
            stamps.add(str(as_of))
            reads += 1
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")
    print(json.dumps({"reads": reads, "errors": errors, "stamps": len(stamps)}))
    """
)


def test_a_reader_in_a_loop_sees_only_complete_snapshots_during_five_refreshes(
    refresher: Refresher, settings: Settings, tmp_path: Path
) -> None:
    refresher.refresh()
    stop = tmp_path / "stop-reading"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(settings.warehouse_path), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(5):
            grow_store(refresher.app, 40)
            refresher.refresh()
    finally:
        stop.touch()
        output, _ = reader.communicate(timeout=60)
    seen = json.loads(output)
    assert seen["errors"] == []
    assert seen["reads"] > 10 and seen["stamps"] >= 3


def test_as_of_builds_a_separate_file_without_later_events(
    refresher: Refresher, settings: Settings
) -> None:
    refresher.refresh()
    live = read_stamp(settings.warehouse_path)
    time.sleep(0.05)
    cut = datetime.now(UTC)
    time.sleep(0.05)
    grow_store(refresher.app, 20)
    result = refresher.refresh(as_of=cut)
    target = result.published
    # Named by its cut-off position, so two as-of builds never overwrite each other.
    assert target == (settings.home / f"warehouse-asof-{result.position}.duckdb").resolve()
    stamp = read_stamp(target)
    assert stamp is not None and live is not None
    assert stamp.as_of == cut and stamp.data_as_of == cut
    assert stamp.last_position == live.last_position  # the 20 later events are left out
    assert published_total(target) == (live.event_count, live.event_count)
    with duckdb.connect(str(target), read_only=True) as con:
        latest = con.execute("SELECT max(recorded_at) FROM events.event_log").fetchone()
        typed = con.execute("SELECT count(*) FROM events.opd_registered").fetchone()
    assert latest is not None and latest[0] <= cut
    assert typed is not None and typed[0] == 12  # the demo's agencies, none of the later ones
    assert read_stamp(settings.warehouse_path) == live  # the live warehouse is untouched
    assert leftovers(settings) == []


def test_a_failing_dbt_build_publishes_nothing(
    settings: Settings, refresher: Refresher, tmp_path: Path
) -> None:
    refresher.refresh()
    published = read_stamp(settings.warehouse_path)
    broken = write_project(
        tmp_path / "broken",
        {**DBT_PROJECT, "models/event_total.sql": "select * from no_such_table"},
    )
    grow_store(refresher.app, 10)
    with (
        DbtWorker(broken) as failing,
        Refresher(settings, dbt=failing) as other,
        pytest.raises(DbtFailedError, match="event_total"),
    ):
        other.refresh()
    assert read_stamp(settings.warehouse_path) == published
    assert leftovers(settings) == []


def test_a_warm_worker_builds_a_model_added_after_its_first_build(
    settings: Settings, tmp_path: Path
) -> None:
    """The worker keeps the parsed project between builds, but not once a file changed."""
    project = write_project(tmp_path / "project", DBT_PROJECT)
    with DbtWorker(project) as worker, Refresher(settings, dbt=worker) as refresher:
        refresher.refresh()
        write_project(
            project, {"models/agencies.sql": "select count(*) as logged from events.event_log"}
        )
        result = refresher.refresh()
    assert result.incremental_from is None  # a new model: not built on the published file
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        found = con.execute("select logged from main.agencies").fetchone()
    assert found is not None and found[0] > 0


def test_stopping_while_dbt_builds_publishes_nothing(
    refresher: Refresher, settings: Settings
) -> None:
    refresher.refresh()
    published = read_stamp(settings.warehouse_path)
    grow_store(refresher.app, 10)
    candidate = settings.home / CANDIDATE_DIRECTORY / settings.warehouse_path.name
    with pytest.raises(DbtStoppedError):
        refresher.refresh(should_stop=candidate.exists)
    assert read_stamp(settings.warehouse_path) == published
    assert leftovers(settings) == []
    # The stopped refresh kept its projected pages; the next one publishes them.
    result = refresher.refresh()
    assert result.position == refresher.app.recorder.max_notification_id()
    assert published_position(settings) == result.position


def test_rebuild_gives_the_same_tables_as_incremental_refreshes(
    refresher: Refresher, settings: Settings, tmp_path: Path
) -> None:
    refresher.refresh()
    grow_store(refresher.app, 30)
    refresher.refresh()
    incremental = tmp_path / "incremental.duckdb"
    incremental.write_bytes(settings.warehouse_path.read_bytes())
    result = refresher.refresh(replay=True)
    assert result.events == refresher.app.recorder.max_notification_id()  # every one replayed
    assert table_digests(settings.warehouse_path) == table_digests(incremental)


def wait_for(condition: object, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():  # type: ignore[operator]
            return time.monotonic() - started
        time.sleep(0.05)
    pytest.fail(f"not within {timeout} s")


def run_watch(
    settings: Settings, interval: float, dbt: DbtWorker, lang: str | None = None
) -> tuple[threading.Thread, threading.Event, list[str]]:
    stop = threading.Event()
    lines: list[str] = []
    thread = threading.Thread(
        target=watch,
        args=(settings, interval, stop),
        kwargs={"report": lines.append, "dbt": dbt, "lang": lang},
    )
    thread.start()
    return thread, stop, lines


def published_position(settings: Settings) -> int:
    stamp = read_stamp(settings.warehouse_path)
    return -1 if stamp is None else stamp.last_position


def test_watch_publishes_new_events_and_stops_cleanly(settings: Settings, dbt: DbtWorker) -> None:
    app = open_store(sqlite_env(settings.home))
    thread, stop, lines = run_watch(settings, 0.2, dbt, lang="en")  # as `monev --lang en` does
    try:
        wait_for(lambda: published_position(settings) == app.recorder.max_notification_id(), 120)
        grow_store(app, 6)
        head = app.recorder.max_notification_id()
        latency = wait_for(lambda: published_position(settings) == head, 60)
        assert latency < 30
    finally:
        stop.set()
        thread.join(60)
    assert not thread.is_alive()
    assert lines[0] == "Watching the sqlite event store; Ctrl-C stops."
    assert any("6 events projected" in line for line in lines)
    assert leftovers(settings) == []


@pytest.mark.postgres
def test_watch_wakes_on_postgres_notify_long_before_the_poll(
    fresh_postgres_env: dict[str, str], tmp_path: Path, dbt: DbtWorker
) -> None:
    env = dict(fresh_postgres_env)
    settings = Settings.from_env(env, home=tmp_path / "home")
    app = open_store(env)
    fill_store(app)
    thread, stop, _ = run_watch(settings, 600, dbt)  # polling alone would wait ten minutes
    try:
        wait_for(lambda: published_position(settings) == app.recorder.max_notification_id(), 120)
        grow_store(app, 4)
        head = app.recorder.max_notification_id()
        assert wait_for(lambda: published_position(settings) == head, 60) < 30
        stamp = read_stamp(settings.warehouse_path)
        assert stamp is not None and stamp.event_store == "postgres"
    finally:
        stop.set()
        thread.join(60)
    assert not thread.is_alive()


@pytest.mark.postgres
def test_watch_outlives_an_event_store_outage(
    fresh_postgres_env: dict[str, str],
    postgres_server: PostgresServer,
    tmp_path: Path,
    dbt: DbtWorker,
) -> None:
    """The database refusing connections (a restart, a failover) is reported, not fatal."""
    env = dict(fresh_postgres_env)
    dbname = env["POSTGRES_DBNAME"]
    # Short connection waits, so the driver gives up (and the failure shows) within seconds.
    settings = Settings.from_env({**env, "POSTGRES_CONNECT_TIMEOUT": "1"}, home=tmp_path / "home")
    app = open_store(env)
    fill_store(app)
    app.close()
    thread, stop, lines = run_watch(settings, 0.2, dbt)
    try:
        # Published first, so the outage meets the watch between refreshes, asking for the head.
        wait_for(lambda: published_position(settings) > 0, 120)
        with postgres_server.admin_connect() as conn:
            database = sql.Identifier(dbname)
            conn.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(database))
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (dbname,),
            )
        wait_for(lambda: any("refresh gagal" in line for line in lines), 300)
        assert thread.is_alive()
        with postgres_server.admin_connect() as conn:
            conn.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(database))
        app = open_store(env)
        grow_store(app, 3)
        newest = app.recorder.max_notification_id()
        app.close()
        wait_for(lambda: published_position(settings) == newest, 300)
    finally:
        stop.set()
        thread.join(120)
    assert not thread.is_alive()


def test_the_stamp_table_is_where_the_module_says(settings: Settings, refresher: Refresher) -> None:
    refresher.refresh()
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        columns = [
            c
            for (c,) in con.execute(f"SELECT column_name FROM (DESCRIBE {STAMP_TABLE})").fetchall()
        ]
    assert columns == [
        "data_as_of",
        "last_position",
        "event_count",
        "last_event_at",
        "as_of",
        "published_at",
        "event_store",
        "incremental_from",
        "projection_id",
        "dbt_digest",
        "fingerprint",
        "as_of_cutoff",
    ]


# -- building on the published warehouse ---------------------------------------------------


def stamp_of(settings: Settings) -> Stamp:
    stamp = read_stamp(settings.warehouse_path)
    assert stamp is not None
    return stamp


def alter_published(settings: Settings, *statements: str) -> None:
    """Edits the published file in place, as only a test would."""
    with duckdb.connect(str(settings.warehouse_path)) as con:
        for statement in statements:
            con.execute(statement)
        con.execute("CHECKPOINT")


def test_a_refresh_after_new_events_builds_on_the_published_warehouse(
    refresher: Refresher, settings: Settings, tmp_path: Path
) -> None:
    first = refresher.refresh()
    assert first.incremental_from is None and stamp_of(settings).incremental_from is None
    identity = read_identity(build_path(settings))
    assert stamp_of(settings).projection_id == identity.projection_id
    grow_store(refresher.app, 20)
    second = refresher.refresh()
    stamp = stamp_of(settings)
    assert second.incremental_from == stamp.incremental_from == first.position
    assert f"(on position {number(first.position, 'en')})" in report_line(second, "en")
    head = refresher.app.recorder.max_notification_id()
    assert stamp.last_position == stamp.event_count == head
    assert published_total(settings.warehouse_path) == (head, head)  # event_total rebuilt
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        schemas = {s for (s,) in con.execute("SELECT schema_name FROM duckdb_schemas()").fetchall()}
        catalogs = {
            d for (d,) in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()
        }
    assert "projection" not in schemas and "projection_source" not in catalogs
    incremental = tmp_path / "incremental.duckdb"
    incremental.write_bytes(settings.warehouse_path.read_bytes())
    # No new events: nothing to build, nothing published.
    third = refresher.refresh()
    assert third.unchanged and third.events == 0 and third.position == head
    assert published_total(settings.warehouse_path) == (head, head)
    assert leftovers(settings) == []
    # The same tables as a replay of every event into a file built from scratch.
    rebuilt = refresher.refresh(replay=True)
    assert rebuilt.incremental_from is None
    assert table_digests(settings.warehouse_path) == table_digests(incremental)
    assert published_total(settings.warehouse_path) == published_total(incremental)


def test_a_rebuild_makes_a_new_projection_and_a_full_build(
    refresher: Refresher, settings: Settings
) -> None:
    refresher.refresh()
    before = stamp_of(settings).projection_id
    grow_store(refresher.app, 10)
    rebuilt = refresher.refresh(replay=True)
    stamp = stamp_of(settings)
    assert rebuilt.incremental_from is None and stamp.incremental_from is None
    assert stamp.projection_id != before
    assert stamp.projection_id == read_identity(build_path(settings)).projection_id
    grow_store(refresher.app, 10)
    after = refresher.refresh()  # the rebuilt warehouse is the next one's base
    assert after.incremental_from == rebuilt.position


def test_an_edited_model_means_a_full_build(settings: Settings, tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", DBT_PROJECT)
    with DbtWorker(project) as worker, Refresher(settings, dbt=worker) as refresher:
        refresher.refresh()
        grow_store(refresher.app, 6)
        assert refresher.refresh().incremental_from is not None
        edited = DBT_PROJECT["models/event_total.sql"] + "-- the same rows, another file\n"
        write_project(project, {"models/event_total.sql": edited})
        grow_store(refresher.app, 6)
        assert refresher.refresh().incremental_from is None
        grow_store(refresher.app, 6)
        assert refresher.refresh().incremental_from is not None


def test_an_as_of_build_is_never_a_base(refresher: Refresher, settings: Settings) -> None:
    refresher.refresh()
    cut = datetime.now(UTC)
    grow_store(refresher.app, 10)
    as_of = refresher.refresh(as_of=cut)
    assert as_of.incremental_from is None
    assert read_stamp(as_of.published).incremental_from is None  # type: ignore[union-attr]
    # The live warehouse is still the base of the live one.
    live = refresher.refresh()
    assert live.incremental_from is not None
    # An as-of build written over the live file (--output) is not.
    refresher.refresh(as_of=cut, output=settings.warehouse_path)
    grow_store(refresher.app, 10)
    after = refresher.refresh()
    assert after.incremental_from is None
    head = refresher.app.recorder.max_notification_id()
    assert published_total(settings.warehouse_path) == (head, head)


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE main.warehouse_meta SET projection_id = 'another projection'",
        "UPDATE main.warehouse_meta SET dbt_digest = 'another project'",
        "UPDATE main.warehouse_meta SET event_store = 'postgres'",
        "UPDATE main.warehouse_meta SET last_position = last_position + 1000",
        "ALTER TABLE main.warehouse_meta DROP COLUMN dbt_digest",
        "ALTER TABLE events.opd_registered ADD COLUMN extra INTEGER",
        "DROP TABLE events.opd_registered",
    ],
    ids=["projection", "digest", "store", "ahead", "old-stamp", "columns", "missing-table"],
)
def test_a_published_file_that_does_not_fit_means_a_full_build(
    refresher: Refresher, settings: Settings, change: str, caplog: pytest.LogCaptureFixture
) -> None:
    refresher.refresh()
    alter_published(settings, change)
    grow_store(refresher.app, 10)
    with caplog.at_level("INFO", logger="monev.refresh"):
        result = refresher.refresh()
    assert result.incremental_from is None
    assert any("Full dbt build" in record.getMessage() for record in caplog.records)
    head = refresher.app.recorder.max_notification_id()
    assert published_total(settings.warehouse_path) == (head, head)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        columns = con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'opd_registered'"
        ).fetchall()
        agencies = con.execute("SELECT count(*) FROM events.opd_registered").fetchone()
    assert ("extra",) not in columns
    assert agencies is not None and agencies[0] == 12 + 5  # the demo's and the new ones
    assert leftovers(settings) == []


def test_a_failing_build_on_the_published_warehouse_publishes_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "project", DBT_PROJECT)
    with DbtWorker(project) as worker, Refresher(settings, dbt=worker) as refresher:
        head = refresher.app.recorder.max_notification_id()
        test = f"select * from {{{{ ref('event_total') }}}} where events > {head}"
        write_project(project, {"tests/no_new_events.sql": test})
        refresher.refresh()
        published = read_stamp(settings.warehouse_path)
        grow_store(refresher.app, 10)
        with pytest.raises(DbtFailedError, match="no_new_events"):
            refresher.refresh()  # on the published base: the test is downstream of event_log
        assert read_stamp(settings.warehouse_path) == published
        assert leftovers(settings) == []


def test_a_new_data_directory_builds_from_the_projects_plan_without_dbt(
    demo_store: dict[str, str], tmp_path: Path
) -> None:
    """The build plan dbt made for the first data directory serves the next: its first refresh
    starts no dbt worker at all. dbt's parse state is shared as well, for the builds dbt still
    runs (an as-of build of the same cut-off): the second parses nothing again (the database is
    named relative to the candidate's directory, so the profile the state depends on is the
    same)."""
    project = write_project(tmp_path / "project", DBT_PROJECT)
    cutoff = datetime.now(UTC)
    homes, workers = [], []
    for name in ("first", "second"):
        copy_store(demo_store, tmp_path / name)
        settings = Settings.from_env({}, home=tmp_path / name)
        with Refresher(settings, dbt_project_dir=project) as refresher:
            refresher.refresh()
            workers.append(refresher.dbt_pid)
            refresher.refresh(as_of=cutoff)
        homes.append(settings)
    assert workers[0] is not None and workers[1] is None
    parsed = []
    for settings in homes:
        info = settings.home / "build" / "dbt" / "as-of" / "target" / "perf_info.json"
        parsed.append(json.loads(info.read_text())["parsed_path_count"])
    assert parsed[0] > 0 and parsed[1] == 0
    first, second = (published_total(settings.warehouse_path) for settings in homes)
    assert second == first and second[0] > 0


def test_a_project_a_plan_cannot_hold_is_built_by_dbt_every_time(
    settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A test that stores its failures needs dbt's own materialisation: no plan is kept, and
    every refresh, from scratch or on the published warehouse, is dbt's build."""
    stored = """
        {{ config(store_failures=true) }}
        select * from {{ ref('event_total') }} where events < 0
    """
    project = write_project(tmp_path / "project", {**DBT_PROJECT, "tests/stored.sql": stored})
    with (
        DbtWorker(project) as worker,
        Refresher(settings, dbt=worker) as refresher,
        caplog.at_level("WARNING", logger="monev.refresh"),
    ):
        first = refresher.refresh()
        grow_store(refresher.app, 4)
        second = refresher.refresh()
    assert (first.builder, second.builder) == ("dbt", "dbt")
    assert second.incremental_from == first.position
    assert "stores its failures" in caplog.text
    assert not (project / "target" / "monev-plans").exists()
    assert published_total(settings.warehouse_path) == (second.position, second.position)
    assert "dbt build" in report_line(second)


def test_a_plan_is_made_once_and_then_used_and_as_of_builds_stay_with_dbt(
    settings: Settings, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "project", DBT_PROJECT)
    with DbtWorker(project) as worker, Refresher(settings, dbt=worker) as refresher:
        made = refresher.refresh()
        grow_store(refresher.app, 4)
        used = refresher.refresh()
        past = refresher.refresh(as_of=made.data_as_of)
    assert (made.builder, used.builder, past.builder) == ("new plan", "plan", "dbt")
    assert "dbt built a new build plan" in report_line(made, "en")
    assert "built from the build plan" in report_line(used, "en")
    assert len(list((project / "target" / "monev-plans").iterdir())) == 1
    assert published_total(settings.warehouse_path) == (used.position, used.position)
