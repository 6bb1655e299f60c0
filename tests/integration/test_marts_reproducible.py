"""The same events always give the same marts, to the bit (issue #14, point 5).

Two stores, the 2017 demo and a synthetic store of about 20,000 events (`monev demo
--scale`), are each built twice from the same projection: once from scratch with one dbt
thread and one DuckDB thread, once with four of each, first in full and then again on the
incremental path (stamped as `monev refresh` stamps a copy of the published warehouse, so the
per-activity models delete and recompute the activities touched after the stamp). Every table
in schema `marts` must hold the same rows in both, compared with EXCEPT ALL both ways:
floating-point columns included, so no sum or average may depend on evaluation order.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from test_marts_helpers import build_models, memory_app, project

from apps.demo import load_demo
from apps.demo_scale import load_scale
from domain.application import Monev

pytestmark = [pytest.mark.slow]

STORES: dict[str, Callable[[Monev], object]] = {
    "demo": load_demo,
    "scale-20k": lambda app: load_scale(app, 20_000),
}


def stamp(path: Path, incremental_from: int) -> None:
    """What `monev refresh` writes into a copy of the published warehouse before dbt runs."""
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE OR REPLACE TABLE main.warehouse_meta AS SELECT ?::BIGINT AS incremental_from",
            [incremental_from],
        )


def differences(left: Path, right: Path) -> dict[str, tuple[int, int]]:
    """Rows of each mart found in one file and not the other (EXCEPT ALL, both ways)."""
    found: dict[str, tuple[int, int]] = {}
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{left}' AS l (READ_ONLY)")
        con.execute(f"ATTACH '{right}' AS r (READ_ONLY)")
        marts = [
            name
            for (name,) in con.execute(
                "SELECT table_name FROM duckdb_tables() "
                "WHERE database_name = 'l' AND schema_name = 'marts' ORDER BY 1"
            ).fetchall()
        ]
        assert len(marts) >= 10, marts
        for mart in marts:
            counts = []
            for a, b in (("l", "r"), ("r", "l")):
                query = f"SELECT * FROM {a}.marts.{mart} EXCEPT ALL SELECT * FROM {b}.marts.{mart}"
                counts.append(con.execute(f"SELECT count(*) FROM ({query})").fetchone()[0])
            [(rows,)] = con.execute(f"SELECT count(*) FROM l.marts.{mart}").fetchall()
            assert rows > 0 or mart not in ("activity_quarter", "opd_quarter"), mart
            if any(counts):
                found[mart] = (counts[0], counts[1])
    return found


@pytest.mark.parametrize("store", list(STORES))
def test_every_mart_is_identical_whatever_the_threads_and_the_build_path(
    store: str, tmp_path: Path
) -> None:
    app = memory_app()
    STORES[store](app)
    head = app.last_position()
    events = tmp_path / "store.duckdb"
    project(app, events)
    one, four = tmp_path / "one.duckdb", tmp_path / "four.duckdb"
    shutil.copyfile(events, one)
    shutil.copyfile(events, four)
    population = {"demo_population": True}

    build_models(
        one,
        "--threads",
        "1",
        state=tmp_path / "dbt1",
        variables={**population, "duckdb_threads": 1},
    )
    four_threads = {**population, "duckdb_threads": 4}
    build_models(four, "--threads", "4", state=tmp_path / "dbt4", variables=four_threads)
    assert differences(one, four) == {}

    stamp(four, head - head // 10)
    build_models(four, "--threads", "4", state=tmp_path / "dbt4", variables=four_threads)
    changed = duckdb.connect(str(four), read_only=True)
    try:
        [(recomputed,)] = changed.execute(
            "SELECT count(*) FROM intermediate.int_activities_changed WHERE changed_after = ?",
            [head - head // 10],
        ).fetchall()
    finally:
        changed.close()
    assert recomputed > 0  # the second build did take the incremental path
    assert differences(one, four) == {}
