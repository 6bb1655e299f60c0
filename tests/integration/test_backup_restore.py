"""`monev backup DIR` and `monev restore DIR`: the same events back, ids and all, or a refusal.

Each store is filled by the real application (the demo story), backed up through the command
line, and restored into a new, empty store; the restored store must hold the very same rows
(notification ids, aggregate ids, versions, topics and state bytes) and go on numbering after
them. With PostgreSQL the ids have a gap (a refused command consumes a sequence number), which
a copy through the library's own insert would close, so the test checks it survives.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
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
from pg_server import PostgresServer

from apps.demo import load_demo
from domain.errors import DuplicateError
from eventstore.backup import file_sha256
from eventstore.bootstrap import build_application


@pytest.fixture
def demo_home(tmp_path: Path) -> Path:
    home = tmp_path / "source"
    load_demo(build_application(sqlite_settings(home)))
    return home


def test_a_sqlite_backup_restores_into_an_empty_store_with_the_same_events(
    demo_home: Path, tmp_path: Path
) -> None:
    backup_dir = tmp_path / "backup"
    made = run_cli(["backup", str(backup_dir)], {"MONEV_HOME": str(demo_home)})
    assert made.exit_code == 0, made.output
    source = stored_rows(sqlite_settings(demo_home))
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert manifest["store"] == "sqlite"
    assert manifest["event_count"] == len(source)
    assert manifest["last_position"] == source[-1].position
    assert manifest["sha256"] == file_sha256(backup_dir / "events.sqlite")
    assert manifest["monev_version"]
    assert manifest["created_at"]
    assert f"{len(source)} events" in made.output

    target_home = tmp_path / "target"
    restored = run_cli(
        ["restore", str(backup_dir), "--no-rebuild"], {"MONEV_HOME": str(target_home)}
    )
    assert restored.exit_code == 0, restored.output
    target = sqlite_settings(target_home)
    assert stored_rows(target) == source

    app = build_application(target)
    app.register_opd(ADMIN, code="BARU", name="Dinas Baru")
    assert app.last_position() == source[-1].position + 1


MARTS = {
    "activity_quarter",
    "opd_quarter",
    "kecamatan_quarter",
    "disparity_quarter",
    "mentor_coverage_quarter",
    "mentor_quarter",
    "recommendations",
    "joint_activities",
    "problem_quarter",
}


@pytest.mark.slow
def test_a_restore_followed_by_a_rebuild_reproduces_the_same_marts(
    refreshed_demo_home: Path, tmp_path: Path
) -> None:
    demo_home = refreshed_demo_home  # the demo, refreshed
    backup_dir = tmp_path / "backup"
    assert run_cli(["backup", str(backup_dir)], {"MONEV_HOME": str(demo_home)}).exit_code == 0
    target_home = tmp_path / "target"
    restored = run_cli(["restore", str(backup_dir)], {"MONEV_HOME": str(target_home)})
    assert restored.exit_code == 0, restored.output
    assert "published" in restored.output
    source = warehouse_fingerprint(demo_home / "warehouse.duckdb")
    assert {name.removeprefix("marts.") for name in source} >= MARTS
    assert warehouse_fingerprint(target_home / "warehouse.duckdb") == source


def test_restore_refuses_a_store_that_has_events_and_changes_nothing(
    demo_home: Path, tmp_path: Path
) -> None:
    backup_dir = tmp_path / "backup"
    assert run_cli(["backup", str(backup_dir)], {"MONEV_HOME": str(demo_home)}).exit_code == 0
    before = stored_rows(sqlite_settings(demo_home))
    again = run_cli(["restore", str(backup_dir), "--no-rebuild"], {"MONEV_HOME": str(demo_home)})
    assert again.exit_code == 1
    assert "already has" in again.output
    assert "only fills an empty store" in again.output
    assert stored_rows(sqlite_settings(demo_home)) == before


def test_restore_refuses_a_damaged_backup_before_touching_the_store(
    demo_home: Path, tmp_path: Path
) -> None:
    backup_dir = tmp_path / "backup"
    assert run_cli(["backup", str(backup_dir)], {"MONEV_HOME": str(demo_home)}).exit_code == 0
    copy = backup_dir / "events.sqlite"
    data = bytearray(copy.read_bytes())
    data[-100] ^= 0xFF
    copy.write_bytes(bytes(data))
    target_home = tmp_path / "target"
    result = run_cli(["restore", str(backup_dir)], {"MONEV_HOME": str(target_home)})
    assert result.exit_code == 1
    assert "damaged" in result.output
    assert not (target_home / "events.sqlite").exists()


def test_backup_refuses_a_directory_that_is_not_empty(demo_home: Path, tmp_path: Path) -> None:
    backup_dir = tmp_path / "backup"
    backup_dir.mkdir()
    (backup_dir / "notes.txt").write_text("keep me")
    result = run_cli(["backup", str(backup_dir)], {"MONEV_HOME": str(demo_home)})
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert sorted(p.name for p in backup_dir.iterdir()) == ["notes.txt"]


def test_a_directory_without_a_manifest_is_not_a_backup(tmp_path: Path) -> None:
    result = run_cli(["restore", str(tmp_path)], {"MONEV_HOME": str(tmp_path / "target")})
    assert result.exit_code == 1
    assert "not a monev backup" in result.output


@pytest.fixture
def second_database(postgres_server: PostgresServer) -> Iterator[dict[str, str]]:
    name = postgres_server.create_database()
    yield postgres_server.settings(name)
    postgres_server.drop_database(name)


def test_a_postgres_backup_restores_the_same_events_with_their_id_gaps(
    fresh_postgres_env: dict[str, str], second_database: dict[str, str], tmp_path: Path
) -> None:
    source_settings = postgres_settings(fresh_postgres_env, tmp_path / "a")
    app = build_application(source_settings)
    load_demo(app)
    with pytest.raises(DuplicateError):  # refused, but it drew a notification id
        app.register_opd(ADMIN, code="DISKOPUKM", name="Dinas Koperasi (again)")
    app.register_opd(ADMIN, code="BARU", name="Dinas Baru")
    source = stored_rows(source_settings)
    positions = [row.position for row in source]
    assert positions[-1] > len(positions), "the refused command should leave a gap"

    backup_dir = tmp_path / "backup"
    made = run_cli(["backup", str(backup_dir)], {**fresh_postgres_env, "MONEV_HOME": str(tmp_path)})
    assert made.exit_code == 0, made.output
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    assert manifest["store"] == "postgres"
    assert (manifest["event_count"], manifest["last_position"]) == (len(source), positions[-1])
    assert manifest["sha256"] == file_sha256(backup_dir / "events.pgdump")

    restored = run_cli(
        ["restore", str(backup_dir), "--no-rebuild"],
        {**second_database, "MONEV_HOME": str(tmp_path)},
    )
    assert restored.exit_code == 0, restored.output
    target_settings = postgres_settings(second_database, tmp_path / "b")
    assert stored_rows(target_settings) == source

    target_app = build_application(target_settings)
    target_app.register_opd(ADMIN, code="LAGI", name="Dinas Lagi")
    assert target_app.last_position() == positions[-1] + 1


def test_a_sqlite_backup_is_not_restored_into_postgres(
    demo_home: Path, fresh_postgres_env: dict[str, str], tmp_path: Path
) -> None:
    backup_dir = tmp_path / "backup"
    assert run_cli(["backup", str(backup_dir)], {"MONEV_HOME": str(demo_home)}).exit_code == 0
    result = run_cli(
        ["restore", str(backup_dir)], {**fresh_postgres_env, "MONEV_HOME": str(tmp_path)}
    )
    assert result.exit_code == 1
    assert "monev migrate --to postgres" in result.output
    assert stored_rows(postgres_settings(fresh_postgres_env, tmp_path)) == []
