"""A DuckDB file is complete on its own only without a write-ahead log beside it.

DuckDB 2.0 keeps up to three logs beside a database (``.wal``, and ``.wal.checkpoint`` and
``.wal.recovery`` while a checkpoint or a recovery runs); a crash can leave any of them. The
projection, the candidate and the published warehouse are copied, renamed and removed as
files, so every one of those logs must travel with them or be refused, never left behind to be
replayed into the next file of that name.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from projections.database import (
    WRITE_AHEAD_LOG_SUFFIXES,
    database_files,
    has_write_ahead_log,
    remove_database,
)
from projections.publish import PublishError, copy_build, publish


def closed_database(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE t AS SELECT range AS n FROM range(10)")
    return path


def test_an_open_database_has_a_log_and_a_closed_one_has_none(tmp_path: Path) -> None:
    path = tmp_path / "open.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE TABLE t (n INTEGER)")
        con.execute("INSERT INTO t VALUES (1)")
        assert has_write_ahead_log(path)
    finally:
        con.close()
    assert not has_write_ahead_log(path)


@pytest.mark.parametrize("suffix", WRITE_AHEAD_LOG_SUFFIXES)
def test_a_leftover_log_of_any_kind_is_removed_with_its_database(
    tmp_path: Path, suffix: str
) -> None:
    path = closed_database(tmp_path / "build.duckdb")
    leftover = path.with_name(path.name + suffix)
    leftover.write_bytes(b"left by a crash")
    assert has_write_ahead_log(path)
    remove_database(path)
    assert [file for file in database_files(path) if file.exists()] == []


@pytest.mark.parametrize("suffix", WRITE_AHEAD_LOG_SUFFIXES)
def test_a_file_with_a_log_of_any_kind_is_neither_copied_nor_published(
    tmp_path: Path, suffix: str
) -> None:
    build = closed_database(tmp_path / "build.duckdb")
    target = tmp_path / "warehouse.duckdb"
    candidate = copy_build(build, target)
    candidate.with_name(candidate.name + suffix).write_bytes(b"left by a crash")
    with pytest.raises(PublishError, match="write-ahead log"):
        publish(candidate, target)
    assert not target.exists()
    build.with_name(build.name + suffix).write_bytes(b"left by a crash")
    with pytest.raises(PublishError, match="write-ahead log"):
        copy_build(build, target)
