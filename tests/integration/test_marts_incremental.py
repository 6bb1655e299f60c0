"""Incremental runs give the same warehouse as a full refresh.

The store grows in parts with back-dated records among them (a correction of a closed quarter,
an evaluation replaced by a later one, a merge). One warehouse is built after each part,
incrementally, the way successive refreshes of one file would; another is built from the whole
store with --full-refresh. Every mart and every incremental model must agree.

The first test runs `dbt build` without a stamp, so the models recompute every key. The second
stamps the file as `monev refresh` stamps a copy of the published warehouse (incremental_from)
and builds it as a refresh does, from the project's build plan (dbt's compiled SQL), so the
per-activity models recompute only the activities in int_activities_changed: its steps have no
rakor or closure (which recompute everything), and each checks both the rows and that only the
touched activities were recomputed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from test_marts_helpers import (
    ADMIN_ACTOR,
    MARTS,
    build_from_plan,
    build_models,
    mart_snapshot,
    memory_app,
    opd_actor,
    project,
    record,
    rows,
    stamp,
    story_first_quarter,
    story_second_quarter,
    story_third_quarter,
)

from domain.application import Monev
from domain.events import all_event_classes
from projections.schema import event_table

pytestmark = pytest.mark.slow

INCREMENTAL = (
    "intermediate.int_evaluations_deduplicated",
    "intermediate.int_activities_merged",
    "intermediate.int_activity_quarters_evaluated",
)


def test_a_full_refresh_equals_incremental_runs(tmp_path: Path) -> None:
    app = memory_app()
    incremental = tmp_path / "incremental.duckdb"
    state = tmp_path / "dbt"
    runs = []
    # The first build from scratch after two quarters, the second incremental after the third
    # (a correction of the closed triwulan II, triwulan III's reports, a service region).
    for parts in ((story_first_quarter, story_second_quarter), (story_third_quarter,)):
        for part in parts:
            part(app)
        project(app, incremental)
        runs.append(build_models(incremental, state=state))
    assert len(runs) == 2
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


def changed_codes(path: Path) -> set[str]:
    found = rows(
        path,
        "SELECT a.code FROM intermediate.int_activities_changed c "
        "JOIN events.activity_registered a ON a.aggregate_id = c.activity_id",
    )
    return {code for (code,) in found}


def next_quarter_and_a_new_opd(app: Monev) -> None:
    """Triwulan II's first report (the spine grows), a revision, a new OPD and its activity."""
    record(app, "A1", "2017-Q2", physical=45, spent=150_000, value=45)
    app.revise_activity_targets(
        opd_actor("DINAS-B"), activity_code="B1", annual_target=24,
        quarterly_targets=[6, 6, 6, 6], reason="Tambahan anggaran.", pagu_rp=600_000,
    )  # fmt: skip
    app.register_opd(ADMIN_ACTOR, code="DINAS-C", name="Dinas C")
    app.register_program(
        ADMIN_ACTOR, code="P-DINAS-C", name="Program C", opd_code="DINAS-C", fiscal_year=2017
    )
    app.register_activity(
        opd_actor("DINAS-C"), code="C1", program_code="P-DINAS-C", opd_code="DINAS-C",
        name="Kegiatan C1", pagu_rp=800_000, indicator_name="Keluaran", indicator_unit="unit",
        indicator_kind="incremental", annual_target=8, quarterly_targets=[2, 2, 2, 2],
        kecamatan="Lekok",
    )  # fmt: skip


def corrections_merges_and_follow_ups(app: Monev) -> None:
    """Touches some activities only: a correction, a replaced report, a merge, a follow-up."""
    app.correct_evaluation(
        opd_actor("DINAS-A"), activity_code="A2", quarter="2017-Q1", physical_pct=30,
        financial_rp=550_000, indicator_value=9, reason="Salah ketik.",
    )  # fmt: skip
    record(app, "B2", "2017-Q2", physical=50, spent=100_000, value=5)
    record(app, "B2", "2017-Q2", physical=50, spent=300_000, value=9)  # replaces the one above
    app.merge_activities(
        ADMIN_ACTOR, joint_code="J1", name="Kegiatan bersama", lead_opd_code="DINAS-A",
        activity_codes=["A2", "B2"],
    )  # fmt: skip
    record(app, "J1", "2017-Q2", physical=40, spent=900_000, value=15)
    app.follow_up_recommendation(
        opd_actor("DINAS-A"), code="R2", quarter="2017-Q2", progress="Selesai.", is_done=True
    )


def corrections_merges_and_an_earlier_year(app: Monev) -> None:
    """Touches some activities only, and a 2016 activity: the spine starts a year earlier,
    2017 keeps its quarters."""
    corrections_merges_and_follow_ups(app)
    app.register_program(
        ADMIN_ACTOR, code="P-2016", name="Program 2016", opd_code="DINAS-A", fiscal_year=2016
    )
    app.register_activity(
        opd_actor("DINAS-A"), code="A0", program_code="P-2016", opd_code="DINAS-A",
        name="Kegiatan 2016", pagu_rp=400_000, indicator_name="Keluaran",
        indicator_unit="unit", indicator_kind="cumulative", annual_target=100,
        quarterly_targets=[25, 50, 75, 100],
    )  # fmt: skip


STEPS: tuple[tuple[Callable[[Monev], None], set[str]], ...] = (
    # The spine reaches triwulan II: every 2017 activity gains a quarter.
    (next_quarter_and_a_new_opd, {"A1", "A2", "B1", "B2", "C1"}),
    # A2 and B2 merge into J1; R2 is about A1; A0 is 2016's. B1 and C1 are left alone.
    (corrections_merges_and_an_earlier_year, {"A0", "A1", "A2", "B2", "J1"}),
)


def test_stamped_incremental_runs_recompute_only_touched_activities(tmp_path: Path) -> None:
    app = memory_app()
    story_first_quarter(app)
    incremental = tmp_path / "incremental.duckdb"
    project(app, incremental)
    stamp(incremental, None)
    build_from_plan(incremental)
    every_table = [event_table(event_class).name for event_class in all_event_classes()]

    for step, touched in STEPS:
        stamp(incremental, app.last_position())
        step(app)
        project(app, incremental)
        build_from_plan(incremental, changed=every_table)
        assert changed_codes(incremental) == touched, step.__name__

        full = tmp_path / f"full-{step.__name__}.duckdb"
        project(app, full)
        stamp(full, None)
        build_from_plan(full)
        tables = (*MARTS, *INCREMENTAL, "intermediate.int_quarters_spanned")
        assert mart_snapshot(incremental, tables) == mart_snapshot(full, tables), step.__name__
