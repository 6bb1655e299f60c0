"""The same events always give the same marts, to the bit (issue #14, point 5).

Two stores, the 2017 demo and a synthetic store of about 20,000 events (`monev demo
--scale`), are each built twice from the same projection as `monev refresh` builds them (from
the project's build plan, with the demo's population): once from scratch with one DuckDB
thread, once with four, first in full and then again on the incremental path (stamped as
`monev refresh` stamps a copy of the published warehouse, so the per-activity models delete
and recompute the activities touched after the stamp). Every table in schema `marts` must hold
the same rows in both, compared with EXCEPT ALL both ways: floating-point columns included, so
no sum or average may depend on evaluation order. (`dbt build` itself, whose thread count is
its own option, builds the same SQL: tests/integration/test_build_plan.py.)
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from test_marts_helpers import build_from_plan, memory_app, project, stamp

from apps.demo import load_demo
from apps.demo_scale import load_scale
from domain.application import Monev
from domain.events import all_event_classes
from projections.schema import event_table

pytestmark = [pytest.mark.slow]

STORES: dict[str, Callable[[Monev], object]] = {
    "demo": load_demo,
    "scale-20k": lambda app: load_scale(app, 20_000),
}


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
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONEV_DEMO_POPULATION", "true")
    app = memory_app()
    STORES[store](app)
    head = app.last_position()
    events = tmp_path / "store.duckdb"
    project(app, events)
    stamp(events, None)
    one, four = tmp_path / "one.duckdb", tmp_path / "four.duckdb"
    shutil.copyfile(events, one)
    shutil.copyfile(events, four)

    build_from_plan(one, threads=1)
    build_from_plan(four, threads=4)
    assert differences(one, four) == {}

    stamp(four, head - head // 10)
    every_table = [event_table(event_class).name for event_class in all_event_classes()]
    build_from_plan(four, changed=every_table, threads=4)
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
