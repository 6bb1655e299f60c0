"""Incremental runs give the same warehouse as a full refresh.

The store grows in three parts with back-dated records among them (a correction of a closed
quarter, an evaluation replaced by a later one, a merge). One warehouse is built after each
part, incrementally, the way successive refreshes of one file would; another is built once from
the whole store with --full-refresh. Every mart and the incremental model itself must agree.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_marts_helpers import (
    MARTS,
    build_models,
    mart_snapshot,
    memory_app,
    project,
    rows,
    story_first_quarter,
    story_second_quarter,
    story_third_quarter,
)

pytestmark = pytest.mark.slow

INCREMENTAL = ("intermediate.int_evaluations_deduplicated",)


def test_a_full_refresh_equals_incremental_runs(tmp_path: Path) -> None:
    app = memory_app()
    incremental = tmp_path / "incremental.duckdb"
    state = tmp_path / "dbt"
    runs = []
    for part in (story_first_quarter, story_second_quarter, story_third_quarter):
        part(app)
        project(app, incremental)
        runs.append(build_models(incremental, state=state))
    assert len(runs) == 3
    executed = state / "target/run/monev/models/intermediate/int_evaluations_deduplicated.sql"
    assert "delete from" in executed.read_text().lower(), "the last run was not incremental"

    full = tmp_path / "full.duckdb"
    shutil.copyfile(incremental, full)
    build_models(full, "--full-refresh", state=state)

    assert mart_snapshot(incremental, MARTS + INCREMENTAL) == mart_snapshot(
        full, MARTS + INCREMENTAL
    )
    corrected = rows(
        incremental,
        "SELECT version_count, is_corrected, indicator_value "
        "FROM intermediate.int_evaluations_deduplicated e "
        "JOIN events.activity_registered a ON a.aggregate_id = e.activity_id "
        "WHERE a.code = 'A1' AND e.quarter_code = '2017-Q1'",
    )
    assert corrected == [(2, True, 22.0)]
