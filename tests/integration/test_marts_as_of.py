"""As of a moment, the warehouse is the one that was built at that moment.

The rakor of triwulan I sees the warehouse as it stood then; later corrections, a merge and a
new quarter must not leak into it. A warehouse built at that time is compared, row for row, with
one built afterwards from the complete store with var as_of (and with var as_of_position).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_marts_helpers import (
    MARTS,
    build_from_plan,
    build_models,
    mart_snapshot,
    memory_app,
    moment_between_events,
    project,
    rows,
    run_dbt,
    stamp,
    story_first_quarter,
    story_second_quarter,
    story_third_quarter,
)

pytestmark = pytest.mark.slow


def test_a_past_rakor_is_reproduced_exactly(tmp_path: Path) -> None:
    app = memory_app()
    story_first_quarter(app)
    then = tmp_path / "then.duckdb"
    project(app, then)
    stamp(then, None)
    build_from_plan(then)  # as `monev refresh` builds the live warehouse
    cut_at = moment_between_events()
    cut_position = app.last_position()

    story_second_quarter(app)
    story_third_quarter(app)
    now = tmp_path / "now.duckdb"
    project(app, now)
    stamp(now, None)
    build_from_plan(now)
    as_of = tmp_path / "as-of.duckdb"
    project(app, as_of)
    build_models(as_of, state=tmp_path / "dbt-as-of", variables={"as_of": cut_at.isoformat()})
    by_position = tmp_path / "by-position.duckdb"
    project(app, by_position)
    build_models(
        by_position, state=tmp_path / "dbt-by-position", variables={"as_of_position": cut_position}
    )

    expected = mart_snapshot(then)
    assert mart_snapshot(as_of) == expected
    assert mart_snapshot(by_position) == expected
    later = mart_snapshot(now)
    assert [m for m in MARTS if later[m] != expected[m]], "the later story changed nothing"
    assert rows(then, "SELECT max(quarter) FROM marts.opd_quarter") == [("2017-Q1",)]
    assert rows(now, "SELECT max(quarter) FROM marts.opd_quarter") == [("2017-Q3",)]


def test_as_of_refuses_what_is_not_a_moment(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    project(memory_app(), path)
    with pytest.raises(AssertionError, match="as_of must be an ISO 8601"):
        run_dbt(path, "build", state=tmp_path / "dbt", variables={"as_of": "yesterday'; drop"})
