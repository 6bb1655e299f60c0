"""The event store's fingerprint: stamped by every refresh, checked by `monev verify`.

One demo store is recorded and refreshed once for the module; every test works on a copy of
that data directory, so tampering (with the append-only guard dropped in the copy) never
touches the shared one and no test pays for another full dbt build it does not need.
"""

from __future__ import annotations

import functools
import json
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import duckdb
import pytest
from operations_support import ADMIN, run_cli, sqlite_settings, warehouse_fingerprint

from apps.demo import load_demo
from apps.messages import number
from apps.refresh import RefreshResult, rebuild, refresh, report_line
from eventstore.bootstrap import build_application
from eventstore.fingerprint import Chain, extend_parallel, fingerprint_at
from eventstore.migrate import migrate_to_postgres
from projections.refresh import open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RefreshResult]:
    """The demo story, refreshed once: a data directory with a published warehouse."""
    home = tmp_path_factory.mktemp("fingerprint") / "home"
    load_demo(build_application(sqlite_settings(home)))
    return home, refresh(sqlite_settings(home))


def copy_home(published: tuple[Path, RefreshResult], to: Path) -> Path:
    shutil.copytree(published[0], to)
    return to


def store_chain(home: Path) -> Chain:
    """The chain recomputed from the store's first event (the app kept open meanwhile)."""
    app = open_store(sqlite_settings(home))
    try:
        return fingerprint_at(app.recorder)
    finally:
        app.close()


def stamp(warehouse: Path) -> tuple[int, str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute("SELECT last_position, fingerprint FROM main.warehouse_meta").fetchone()
    assert row is not None
    return int(row[0]), str(row[1])


def chain_rows(warehouse: Path, upto: int) -> list[tuple[int, bytes]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "SELECT position, fingerprint FROM main.fingerprint_chain WHERE position <= ? "
            "ORDER BY position",
            [upto],
        ).fetchall()


def test_a_refresh_stamps_and_prints_the_chain_head_of_the_store(
    published: tuple[Path, RefreshResult],
) -> None:
    home, result = published
    store = store_chain(home)
    assert stamp(home / "warehouse.duckdb") == (store.position, store.hex)
    assert result.fingerprint == store.hex
    line = report_line(result, "en")
    assert f"position {number(store.position, 'en')}, fingerprint {store.hex}" in line
    assert len(chain_rows(home / "warehouse.duckdb", store.position)) == store.count


def test_the_chain_is_the_same_across_refreshes_and_a_rebuild_and_old_reports_still_verify(
    published: tuple[Path, RefreshResult], tmp_path: Path
) -> None:
    home = copy_home(published, tmp_path / "home")
    position, before = stamp(home / "warehouse.duckdb")
    build_application(sqlite_settings(home)).register_opd(ADMIN, code="BARU", name="Dinas Baru")

    later = refresh(sqlite_settings(home))
    assert later.incremental_from == position  # carried: built on the published warehouse
    assert later.position == position + 1
    store = store_chain(home)
    assert later.fingerprint == store.hex
    assert chain_rows(home / "warehouse.duckdb", position) == chain_rows(
        published[0] / "warehouse.duckdb", position
    )

    report = run_cli(
        ["verify", "--fingerprint", before, "--position", str(position)],
        {"MONEV_LANG": "en", "MONEV_HOME": str(home)},
    )
    assert report.exit_code == 0, report.output
    assert "intact" in report.output
    assert f"up to position {position:,}" in report.output

    rebuilt = rebuild(sqlite_settings(home))
    assert rebuilt.incremental_from is None
    assert rebuilt.fingerprint == later.fingerprint


def projected_chain(home: Path) -> list[tuple[int, bytes]]:
    with duckdb.connect(str(home / "build" / "projection-build.duckdb"), read_only=True) as con:
        return con.execute(
            "SELECT position, fingerprint FROM projection.fingerprint_chain ORDER BY position"
        ).fetchall()


def test_the_projection_keeps_the_chain_as_it_reads_and_a_full_build_takes_it_from_there(
    published: tuple[Path, RefreshResult], tmp_path: Path
) -> None:
    """The projection hashes each page's events in the page's own transaction; a build from
    scratch copies that chain rather than reading the whole store a second time, and the
    published file keeps one copy of it."""
    home = copy_home(published, tmp_path / "home")
    store = store_chain(home)
    projected = projected_chain(home)
    assert len(projected) == store.count and bytes(projected[-1][1]) == store.head
    assert projected == chain_rows(home / "warehouse.duckdb", store.position)
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        copies = con.execute(
            "SELECT schema_name FROM duckdb_tables() WHERE table_name = 'fingerprint_chain'"
        ).fetchall()
    assert copies == [("main",)]


def test_a_projection_whose_chain_stops_short_is_hashed_from_the_store(
    published: tuple[Path, RefreshResult], tmp_path: Path
) -> None:
    """A projection file from before the chain was kept (here: one that lost its later links)
    is not trusted for it: a build from scratch hashes the store, as before."""
    home = copy_home(published, tmp_path / "home")
    with duckdb.connect(str(home / "build" / "projection-build.duckdb")) as con:
        con.execute("DELETE FROM projection.fingerprint_chain WHERE position > 10")
    (home / "warehouse.duckdb").unlink()
    build_application(sqlite_settings(home)).register_opd(ADMIN, code="BARU", name="Dinas Baru")
    result = refresh(sqlite_settings(home))
    store = store_chain(home)
    assert result.incremental_from is None and result.fingerprint == store.hex
    assert len(chain_rows(home / "warehouse.duckdb", store.position)) == store.count
    assert len(projected_chain(home)) == 10  # not kept up any more: it does not start at 1


def _drop_guard(store: Path) -> sqlite3.Connection:
    con = sqlite3.connect(store)
    triggers = [
        name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    ]
    assert triggers, "the copy should carry the append-only guard"
    for name in triggers:
        con.execute(f'DROP TRIGGER "{name}"')
    return con


def _change_a_byte(con: sqlite3.Connection) -> None:
    (state,) = con.execute("SELECT state FROM stored_events WHERE rowid = 100").fetchone()
    changed = bytearray(state)
    changed[len(changed) // 2] ^= 0x01
    con.execute("UPDATE stored_events SET state = ? WHERE rowid = 100", (bytes(changed),))


def _delete_one(con: sqlite3.Connection) -> None:
    con.execute("DELETE FROM stored_events WHERE rowid = 100")


def _swap_two(con: sqlite3.Connection) -> None:
    rows = con.execute(
        "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events "
        "WHERE rowid IN (100, 150) ORDER BY rowid"
    ).fetchall()
    con.execute("DELETE FROM stored_events WHERE rowid IN (100, 150)")
    for (position, *_), (_, *content) in zip(rows, reversed(rows), strict=True):
        con.execute(
            "INSERT INTO stored_events (rowid, originator_id, originator_version, "
            "topic, state) VALUES (?, ?, ?, ?, ?)",
            (position, *content),
        )


@pytest.mark.parametrize(
    ("tamper", "kind"),
    [(_change_a_byte, "changed"), (_delete_one, "missing"), (_swap_two, "reordered")],
    ids=["byte-of-state", "deleted", "swapped"],
)
def test_verify_names_the_first_position_of_a_tampered_copy_of_the_store(
    published: tuple[Path, RefreshResult],
    tmp_path: Path,
    tamper: Callable[[sqlite3.Connection], None],
    kind: str,
) -> None:
    home = copy_home(published, tmp_path / "home")
    intact = run_cli(["verify"], {"MONEV_LANG": "en", "MONEV_HOME": str(home)})
    assert intact.exit_code == 0, intact.output
    guarded = sqlite3.connect(home / "events.sqlite")
    with closing(guarded), pytest.raises(sqlite3.IntegrityError, match="append-only"):
        _delete_one(guarded)
    with closing(_drop_guard(home / "events.sqlite")) as con:
        tamper(con)
        con.commit()

    result = run_cli(["verify"], {"MONEV_LANG": "en", "MONEV_HOME": str(home)})
    assert result.exit_code == 1, result.output
    assert f"DIFFERS from position 100 ({kind})" in result.output


def test_a_report_fingerprint_that_the_store_no_longer_gives_fails(
    published: tuple[Path, RefreshResult],
) -> None:
    home, result = published
    wrong = ("0" if result.fingerprint and result.fingerprint[0] != "0" else "1") + (
        result.fingerprint or ""
    )[1:]
    failed = run_cli(
        ["verify", "--fingerprint", wrong, "--position", str(result.position)],
        {"MONEV_LANG": "en", "MONEV_HOME": str(home)},
    )
    assert failed.exit_code == 1
    assert "DIFFERS" in failed.output
    refused = run_cli(
        ["verify", "--fingerprint", "abc"], {"MONEV_LANG": "en", "MONEV_HOME": str(home)}
    )
    assert refused.exit_code == 1
    assert "together" in refused.output


def test_backup_records_the_fingerprint_and_restore_verifies_it(
    published: tuple[Path, RefreshResult], tmp_path: Path
) -> None:
    home, result = published
    made = run_cli(
        ["backup", str(tmp_path / "backup")], {"MONEV_LANG": "en", "MONEV_HOME": str(home)}
    )
    assert made.exit_code == 0, made.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["fingerprint"] == result.fingerprint
    assert f"fingerprint {result.fingerprint}" in made.output

    target = tmp_path / "restored"
    restored = run_cli(
        ["restore", str(tmp_path / "backup"), "--no-rebuild"],
        {"MONEV_LANG": "en", "MONEV_HOME": str(target)},
    )
    assert restored.exit_code == 0, restored.output
    assert f"fingerprint {result.fingerprint} verified" in restored.output
    assert store_chain(target).hex == result.fingerprint


def test_the_migrated_postgres_store_has_the_same_fingerprint_at_the_same_position(
    published: tuple[Path, RefreshResult], tmp_path: Path, fresh_postgres_env: dict[str, str]
) -> None:
    home = copy_home(published, tmp_path / "home")
    postgres = {k: v for k, v in fresh_postgres_env.items() if k.startswith("POSTGRES_")}
    migrate_to_postgres(sqlite_settings(home), postgres)
    result = run_cli(
        ["verify"],
        {"MONEV_LANG": "en", "MONEV_HOME": str(home), "MONEV_EVENT_STORE": "postgres", **postgres},
    )
    assert result.exit_code == 0, result.output
    fingerprint = published[1].fingerprint
    assert f"fingerprint {fingerprint} at position {published[1].position:,}" in result.output


def test_as_of_a_rakor_equals_a_refresh_stopped_at_that_rakor(
    published: tuple[Path, RefreshResult], tmp_path: Path
) -> None:
    home = copy_home(published, tmp_path / "home")
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        row = con.execute("SELECT position FROM events.rakor_held WHERE quarter = '2017-Q2'")
        (rakor,) = row.fetchone() or (None,)
    assert rakor is not None

    built = run_cli(
        ["refresh", "--as-of", "rakor:2017-Q2"], {"MONEV_LANG": "en", "MONEV_HOME": str(home)}
    )
    assert built.exit_code == 0, built.output
    as_of = home / f"warehouse-asof-{rakor}.duckdb"
    assert as_of.exists()
    assert "as of rakor:2017-Q2" in built.output
    with duckdb.connect(str(as_of), read_only=True) as con:
        latest = con.execute(
            "SELECT max(quarter) FROM marts.activity_quarter WHERE has_evaluation"
        ).fetchone()
        meta = con.execute(
            "SELECT last_position, as_of_cutoff, fingerprint FROM main.warehouse_meta"
        ).fetchone()
    assert latest == ("2017-Q2",)
    assert meta is not None and meta[:2] == (rakor, "rakor:2017-Q2")
    assert meta[2] == bytes(chain_rows(home / "warehouse.duckdb", rakor)[-1][1]).hex()

    stopped = copy_home(published, tmp_path / "stopped")
    shutil.rmtree(stopped / "build")
    (stopped / "warehouse.duckdb").unlink()
    with closing(_drop_guard(stopped / "events.sqlite")) as con:
        con.execute("DELETE FROM stored_events WHERE rowid > ?", (rakor,))
        con.commit()
    live = refresh(sqlite_settings(stopped))
    assert live.position == rakor
    assert live.fingerprint == meta[2]
    assert warehouse_fingerprint(as_of, ("marts",)) == warehouse_fingerprint(
        stopped / "warehouse.duckdb", ("marts",)
    )


def test_a_cut_off_before_every_event_is_refused_and_builds_nothing(
    published: tuple[Path, RefreshResult], tmp_path: Path
) -> None:
    home = copy_home(published, tmp_path / "home")
    result = run_cli(
        ["refresh", "--as-of", "2000-01-01"], {"MONEV_LANG": "en", "MONEV_HOME": str(home)}
    )
    assert result.exit_code == 1
    assert "before the first event" in result.output
    assert "Asia/Jakarta" in result.output
    assert not list(home.glob("warehouse-asof-*"))


def test_worker_processes_give_the_same_chain_also_over_a_gap(
    published: tuple[Path, RefreshResult], tmp_path: Path
) -> None:
    home = copy_home(published, tmp_path / "home")
    with closing(_drop_guard(home / "events.sqlite")) as con:
        _delete_one(con)  # a gap in the ids, as PostgreSQL's sequence leaves
        con.commit()
    expected = store_chain(home)
    factory = functools.partial(open_store, sqlite_settings(home))
    # Narrow ranges, so many pages go through the workers and one of them holds the gap.
    chain = extend_parallel(factory, Chain(), expected.position, width=17)
    assert chain == expected
    assert chain.count == published[1].position - 1
