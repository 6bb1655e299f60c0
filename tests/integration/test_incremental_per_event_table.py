"""One synthetic event of every event table: the incremental build equals a build from scratch.

A store with two quarters of the marts helpers' story is projected and built once (the
"published" warehouse). Each case copies it with its store, records one command that stores
an event of one table (a merge stores three kinds, and closing a quarter needs its rakor),
appends the new events to the projection, stamps the copy as `monev refresh` stamps a copy of
the published warehouse, and builds what `monev refresh` builds, from the project's build plan
(dbt's compiled SQL): the models downstream of the event tables that received rows (what dbt
selects as `source:events.<table>+`), incremental models recomputing what those events touch.
The store is then projected into a new file and built from scratch. Every intermediate and mart
table must hold the same rows in both (EXCEPT ALL both ways), except int_activities_changed,
whose rows say which build made them. (tests/integration/test_build_plan.py checks the plan
against `dbt build` itself.)
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
from test_marts_helpers import (
    ADMIN_ACTOR,
    build_from_plan,
    opd_actor,
    project,
    record,
    stamp,
    story_first_quarter,
    story_second_quarter,
)

from domain.application import Monev
from domain.events import all_event_classes
from eventstore.bootstrap import build_application
from eventstore.settings import Settings
from projections.schema import event_table

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("incremental_per_event_table")]

WAREHOUSE = "warehouse.duckdb"
BUILD_SPECIFIC = {"intermediate.int_activities_changed"}

Step = Callable[[Monev], object]
A = opd_actor("DINAS-A")
B = opd_actor("DINAS-B")


def close_third_quarter(app: Monev) -> None:
    app.hold_rakor(ADMIN_ACTOR, quarter="2017-Q3", held_on=date(2017, 10, 11))
    app.close_quarter(ADMIN_ACTOR, quarter="2017-Q3")


CASES: dict[str, tuple[Step, set[str]]] = {
    "opd_registered": (
        lambda app: app.register_opd(ADMIN_ACTOR, code="DINAS-C", name="Dinas C"),
        {"opd_registered"},
    ),
    "program_registered": (
        lambda app: app.register_program(
            A, code="P-2016", name="Program 2016", opd_code="DINAS-A", fiscal_year=2016
        ),
        {"program_registered"},
    ),
    "opd_joined_program": (
        lambda app: app.join_program(
            ADMIN_ACTOR, program_code="P-DINAS-A", opd_code="DINAS-B", role="member"
        ),
        {"opd_joined_program"},
    ),
    "activity_registered": (
        lambda app: app.register_activity(
            A,
            code="A3",
            program_code="P-DINAS-A",
            opd_code="DINAS-A",
            name="Kegiatan A3",
            pagu_rp=400_000,
            indicator_name="Keluaran",
            indicator_unit="unit",
            indicator_kind="incremental",
            annual_target=4,
            quarterly_targets=[1, 1, 1, 1],
            kecamatan="Lekok",
        ),
        {"activity_registered"},
    ),
    "activity_targets_revised": (
        lambda app: app.revise_activity_targets(
            B,
            activity_code="B1",
            annual_target=24,
            quarterly_targets=[6, 6, 6, 6],
            reason="Tambahan anggaran.",
            pagu_rp=600_000,
        ),
        {"activity_targets_revised"},
    ),
    "activity_mapped_to_problem": (
        lambda app: app.map_activity_to_problem(A, activity_code="A1", problem_code="P2"),
        {"activity_mapped_to_problem"},
    ),
    "evaluation_recorded": (
        lambda app: record(app, "A1", "2017-Q3", physical=70, spent=200_000, value=70),
        {"evaluation_recorded"},
    ),
    "evaluation_corrected": (
        lambda app: app.correct_evaluation(
            A,
            activity_code="A1",
            quarter="2017-Q1",
            physical_pct=25,
            financial_rp=130_000,
            indicator_value=24,
            reason="Salah ketik.",
        ),
        {"evaluation_corrected"},
    ),
    "activities_merged": (
        lambda app: app.merge_activities(
            ADMIN_ACTOR,
            joint_code="J2",
            name="Kegiatan bersama 2",
            lead_opd_code="DINAS-A",
            activity_codes=["A1", "B1"],
        ),
        {"activities_merged", "activity_merged_into", "activity_registered"},
    ),
    "problem_identified": (
        lambda app: app.identify_problem(
            ADMIN_ACTOR, code="P3", title="Pemasaran", category="pemasaran", kecamatan="Grati"
        ),
        {"problem_identified"},
    ),
    "rakor_held": (
        lambda app: app.hold_rakor(ADMIN_ACTOR, quarter="2017-Q3", held_on=date(2017, 10, 11)),
        {"rakor_held"},
    ),
    "quarter_closed": (close_third_quarter, {"rakor_held", "quarter_closed"}),
    "recommendation_issued": (
        lambda app: app.issue_recommendation(
            ADMIN_ACTOR,
            code="R3",
            quarter="2017-Q2",
            opd_code="DINAS-B",
            text="Percepat B1.",
            due_quarter="2017-Q3",
            activity_code="B1",
        ),
        {"recommendation_issued"},
    ),
    "recommendation_followed_up": (
        lambda app: app.follow_up_recommendation(
            B, code="R1", quarter="2017-Q3", progress="Sudah dilaporkan.", is_done=True
        ),
        {"recommendation_followed_up"},
    ),
    "service_region_defined": (
        lambda app: app.define_service_region(
            ADMIN_ACTOR, code="WP-X", name="Wilayah X", kecamatan=["Grati"]
        ),
        {"service_region_defined"},
    ),
    "mentor_registered": (
        lambda app: app.register_mentor(
            ADMIN_ACTOR,
            code="M3",
            name="Mentor Tiga",
            recruited_by_opd="DINAS-A",
            kind="kecamatan",
            registered_on=date(2017, 7, 3),
        ),
        {"mentor_registered"},
    ),
    "mentor_assigned": (
        lambda app: app.assign_mentor(
            ADMIN_ACTOR, mentor_code="M2", kecamatan="Lekok", from_date=date(2017, 7, 10)
        ),
        {"mentor_assigned"},
    ),
    "mentor_unassigned": (
        lambda app: app.unassign_mentor(
            ADMIN_ACTOR, mentor_code="M1", kecamatan="Grati", to_date=date(2017, 8, 31)
        ),
        {"mentor_unassigned"},
    ),
    "mentor_commitment_evaluated": (
        lambda app: app.evaluate_mentor_commitment(
            ADMIN_ACTOR,
            mentor_code="M1",
            quarter="2017-Q3",
            score=85,
            reports_submitted=3,
            umkm_assisted=40,
            umkm_target=40,
        ),
        {"mentor_commitment_evaluated"},
    ),
}


def event_tables() -> set[str]:
    return {event_table(c).name for c in all_event_classes()}


def table_counts(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            n
            for (n,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'events'"
            ).fetchall()
        ]
        return {n: con.execute(f"SELECT count(*) FROM events.{n}").fetchone()[0] for n in names}


def built_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    found = con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
        "WHERE database_name = ? AND schema_name IN ('intermediate', 'marts') ORDER BY 1",
        [catalog],
    ).fetchall()
    return [name for (name,) in found if name not in BUILD_SPECIFIC]


def differences(left: Path, right: Path) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{left}' AS l (READ_ONLY)")
        con.execute(f"ATTACH '{right}' AS r (READ_ONLY)")
        tables = built_tables(con, "l")
        assert tables == built_tables(con, "r")
        assert len(tables) > 20
        for table in tables:
            counts = [
                con.execute(
                    f"SELECT count(*) FROM (SELECT * FROM {a}.{table} "
                    f"EXCEPT ALL SELECT * FROM {b}.{table})"
                ).fetchone()[0]
                for a, b in (("l", "r"), ("r", "l"))
            ]
            if any(counts):
                found[table] = (counts[0], counts[1])
    return found


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data directory with the store and its warehouse built from scratch."""
    home = tmp_path_factory.mktemp("published")
    app = build_application(Settings.from_env({}, home=home))
    try:
        story_first_quarter(app)
        story_second_quarter(app)
        project(app, home / WAREHOUSE)
    finally:
        app.close()
    stamp(home / WAREHOUSE, None)
    build_from_plan(home / WAREHOUSE)
    yield home


def test_every_event_table_has_a_case() -> None:
    covered = set().union(*(tables for _, tables in CASES.values()))
    assert covered == event_tables()
    assert set(CASES) == event_tables() - {"activity_merged_into"}


@pytest.mark.parametrize("case", list(CASES))
def test_one_event_built_incrementally_equals_a_build_from_scratch(
    case: str, published: Path, tmp_path: Path
) -> None:
    step, expected_tables = CASES[case]
    home = tmp_path / "home"
    shutil.copytree(published, home)
    warehouse = home / WAREHOUSE
    before = table_counts(warehouse)
    app = build_application(Settings.from_env({}, home=home))
    try:
        head = app.last_position()
        step(app)
        project(app, warehouse)
    finally:
        app.close()
    after = table_counts(warehouse)
    grown = {name for name, count in after.items() if count > before.get(name, 0)}
    assert grown - {"event_log"} == expected_tables

    stamp(warehouse, head)
    build_from_plan(warehouse, changed=sorted(grown - {"event_log"}))

    scratch = tmp_path / "scratch.duckdb"
    app = build_application(Settings.from_env({}, home=home))
    try:
        project(app, scratch)
    finally:
        app.close()
    stamp(scratch, None)
    build_from_plan(scratch)

    assert differences(warehouse, scratch) == {}
