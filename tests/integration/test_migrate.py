"""`monev migrate --to postgres`: every SQLite event lands in PostgreSQL exactly as it was.

The source is the demo story recorded by the real application on SQLite; the target an empty
PostgreSQL database of the suite's throwaway server. After the copy both stores must hold the
same rows (notification ids, aggregate ids, versions, topics, state bytes — the timestamp is
inside the state), and the target must go on numbering after the last copied id.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from operations_support import (
    ADMIN,
    postgres_settings,
    run_cli,
    sqlite_settings,
    stored_rows,
    warehouse_fingerprint,
)

from apps.demo import load_demo
from apps.refresh import rebuild
from eventstore.bootstrap import build_application
from eventstore.migrate import migrate_to_postgres, postgres_settings_from_dsn
from eventstore.stores import StoreOperationError


@pytest.fixture
def demo_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    load_demo(build_application(sqlite_settings(home)))
    return home


def test_migrate_copies_every_event_with_its_id_version_and_timestamp(
    demo_home: Path, fresh_postgres_env: dict[str, str]
) -> None:
    result = run_cli(
        ["migrate", "--to", "postgres", "--page-size", "50"],
        {"MONEV_HOME": str(demo_home), **_postgres_only(fresh_postgres_env)},
    )
    assert result.exit_code == 0, result.output
    source = stored_rows(sqlite_settings(demo_home))
    target_settings = postgres_settings(fresh_postgres_env, demo_home)
    target = stored_rows(target_settings)
    assert target == source
    assert f"Copied {len(source)} events" in result.output


def test_the_migrated_store_keeps_timestamps_and_records_after_the_last_id(
    demo_home: Path, fresh_postgres_env: dict[str, str]
) -> None:
    migrate_to_postgres(sqlite_settings(demo_home), _postgres_only(fresh_postgres_env))
    last = stored_rows(sqlite_settings(demo_home))[-1].position
    app = build_application(postgres_settings(fresh_postgres_env, demo_home))
    app.register_opd(ADMIN, code="BARU", name="Dinas Baru")
    assert app.last_position() == last + 1
    timestamps = [
        app.mapper.to_domain_event(n).timestamp
        for n in app.recorder.select_notifications(1, 10_000)
    ]
    sqlite_app = build_application(sqlite_settings(demo_home))
    assert timestamps[:-1] == [
        sqlite_app.mapper.to_domain_event(n).timestamp
        for n in sqlite_app.recorder.select_notifications(1, 10_000)
    ]


@pytest.mark.slow
def test_marts_built_from_either_store_are_equal(
    refreshed_demo_home: Path, fresh_postgres_env: dict[str, str], tmp_path: Path
) -> None:
    demo_home = refreshed_demo_home  # the demo, refreshed
    migrate_to_postgres(sqlite_settings(demo_home), _postgres_only(fresh_postgres_env))
    postgres_home = tmp_path / "postgres-home"
    rebuild(postgres_settings(fresh_postgres_env, postgres_home))
    from_sqlite = warehouse_fingerprint(demo_home / "warehouse.duckdb")
    assert any(name.startswith("marts.") for name in from_sqlite)
    assert warehouse_fingerprint(postgres_home / "warehouse.duckdb") == from_sqlite


def test_migrate_refuses_a_target_that_has_events(
    demo_home: Path, fresh_postgres_env: dict[str, str]
) -> None:
    migrate_to_postgres(sqlite_settings(demo_home), _postgres_only(fresh_postgres_env))
    before = stored_rows(postgres_settings(fresh_postgres_env, demo_home))
    again = run_cli(
        ["migrate", "--to", "postgres"],
        {"MONEV_HOME": str(demo_home), **_postgres_only(fresh_postgres_env)},
    )
    assert again.exit_code == 1
    assert "already has" in again.output
    assert stored_rows(postgres_settings(fresh_postgres_env, demo_home)) == before


def test_migrate_takes_the_target_from_a_postgres_address(
    demo_home: Path, fresh_postgres_env: dict[str, str]
) -> None:
    env = fresh_postgres_env
    dsn = (
        f"postgresql://{env['POSTGRES_USER']}@{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/"
        f"{env['POSTGRES_DBNAME']}"
    )
    result = run_cli(
        ["migrate", "--to", "postgres", "--postgres-dsn", dsn],
        {"MONEV_HOME": str(demo_home), "POSTGRES_PASSWORD": env["POSTGRES_PASSWORD"]},
    )
    assert result.exit_code == 0, result.output
    assert stored_rows(postgres_settings(env, demo_home)) == stored_rows(sqlite_settings(demo_home))


def test_migrate_says_plainly_what_is_missing(tmp_path: Path) -> None:
    no_store = run_cli(["migrate", "--to", "postgres"], {"MONEV_HOME": str(tmp_path)})
    assert no_store.exit_code == 1
    assert "no SQLite event store" in no_store.output
    wrong_kind = run_cli(["migrate", "--to", "mysql"], {"MONEV_HOME": str(tmp_path)})
    assert wrong_kind.exit_code == 1
    assert "only to postgres" in wrong_kind.output
    home = tmp_path / "home"
    build_application(sqlite_settings(home))
    with pytest.raises(StoreOperationError, match="set POSTGRES_DBNAME"):
        migrate_to_postgres(sqlite_settings(home), {})


def test_a_postgres_address_becomes_the_library_settings() -> None:
    assert postgres_settings_from_dsn("postgresql://owner:pw@db:5433/monev") == {
        "POSTGRES_USER": "owner",
        "POSTGRES_PASSWORD": "pw",
        "POSTGRES_HOST": "db",
        "POSTGRES_PORT": "5433",
        "POSTGRES_DBNAME": "monev",
    }
    with pytest.raises(StoreOperationError, match="sslmode"):
        postgres_settings_from_dsn("postgresql://db/monev?sslmode=require")


def _postgres_only(env: dict[str, str]) -> dict[str, str]:
    """The target's POSTGRES_* settings without PERSISTENCE_MODULE: the source stays SQLite."""
    return {key: value for key, value in env.items() if key.startswith("POSTGRES_")}
