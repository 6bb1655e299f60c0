"""The conformed dimensions and the merge suggestions, on a small story built once.

The story is the marts helpers' first two quarters with a few additions: a coordinator joins a
program, two new activities of different OPDs address one problem (a suggestion), two
activities of different OPDs address problems of one category in one kecamatan (a suggestion
for the other reason), and the two activities the story merges address one problem before
their merge. One build of the whole story, and one as-of build stopped just before the merge.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_marts_helpers import (
    ADMIN_ACTOR,
    build_from_plan,
    build_models,
    memory_app,
    opd_actor,
    project,
    rows,
    stamp,
    story_first_quarter,
    story_second_quarter,
)

from domain.application import Monev

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("marts_dimensions")]

GRATI = "35.14.20"


def register(app: Monev, code: str, opd: str, pagu: int, kecamatan: str | None = None) -> None:
    app.register_activity(
        opd_actor(opd), code=code, program_code=f"P-{opd}", opd_code=opd,
        name=f"Kegiatan {code}", pagu_rp=pagu, indicator_name="Keluaran",
        indicator_unit="unit", indicator_kind="incremental", annual_target=4.0,
        quarterly_targets=(1.0, 1.0, 1.0, 1.0), kecamatan=kecamatan,
    )  # fmt: skip


def story_with_suggestions(app: Monev) -> None:
    story_first_quarter(app)
    app.join_program(ADMIN_ACTOR, program_code="P-DINAS-A", opd_code="DINAS-B", role="coordinator")
    # Two activities of different OPDs mapped to one problem: the acceptance case.
    register(app, "C1", "DINAS-A", 700_000)
    register(app, "C2", "DINAS-B", 300_000)
    app.map_activity_to_problem(opd_actor("DINAS-A"), activity_code="C1", problem_code="P2")
    app.map_activity_to_problem(opd_actor("DINAS-B"), activity_code="C2", problem_code="P2")
    # Problems of one category in one kecamatan, addressed by two OPDs.
    for code in ("P3", "P4"):
        app.identify_problem(
            ADMIN_ACTOR, code=code, title=f"Pemasaran {code}", category="pemasaran",
            kecamatan="Grati",
        )  # fmt: skip
    register(app, "D1", "DINAS-B", 250_000, kecamatan="Grati")
    app.map_activity_to_problem(opd_actor("DINAS-A"), activity_code="A1", problem_code="P3")
    app.map_activity_to_problem(opd_actor("DINAS-B"), activity_code="D1", problem_code="P4")
    # The activities story_second_quarter merges (B2 already addresses P1).
    app.map_activity_to_problem(opd_actor("DINAS-A"), activity_code="A2", problem_code="P1")


# Session-scoped: xdist may interleave this module's tests with others on the same worker, and
# a module-scoped fixture would then be built again.
@pytest.fixture(scope="session")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The whole story built as a refresh builds it (the build plan), and the same store built
    by dbt as of the position before the merge."""
    directory = tmp_path_factory.mktemp("dimensions")
    app = memory_app()
    story_with_suggestions(app)
    before_merge = app.last_position()
    story_second_quarter(app)
    full = directory / "full.duckdb"
    project(app, full)
    as_of = directory / "as_of.duckdb"
    shutil.copyfile(full, as_of)
    stamp(full, None)
    build_from_plan(full)
    build_models(
        as_of,
        "--select",
        "+merge_candidates",
        state=directory / "dbt",
        variables={"as_of_position": before_merge},
    )
    yield full, as_of


def candidates(path: Path) -> list[tuple[object, ...]]:
    return rows(
        path,
        "SELECT candidate_key, reason, fiscal_year, activity_codes, opd_codes, "
        "combined_pagu_rp, is_already_merged, merged_into_code "
        "FROM marts.merge_candidates ORDER BY candidate_key",
    )


def test_two_activities_of_different_opds_on_one_problem_are_suggested(
    warehouses: tuple[Path, Path],
) -> None:
    full, _ = warehouses
    found = candidates(full)
    pair = ("same_problem:2017:P2", "same_problem", 2017, ["C1", "C2"])
    assert (*pair, ["DINAS-A", "DINAS-B"], 1_000_000, False, None) in found
    category = (
        "same_category_and_kecamatan:2017:pemasaran@35.14.20",
        "same_category_and_kecamatan",
    )
    assert (*category, 2017, ["A1", "D1"], ["DINAS-A", "DINAS-B"], 1_250_000, False, None) in (
        found
    )


def test_a_merge_turns_its_suggestion_into_an_already_merged_group(
    warehouses: tuple[Path, Path],
) -> None:
    full, as_of = warehouses
    suggestion = ("same_problem", 2017, ["A2", "B2"], ["DINAS-A", "DINAS-B"], 5_000_000)
    assert ("same_problem:2017:P1", *suggestion, False, None) in candidates(as_of)
    merged = [row for row in candidates(full) if row[3] == ["A2", "B2"]]
    assert merged == [("same_problem:2017:P1:J1", *suggestion, True, "J1")]
    # Nothing is suggested for an activity once merged: the joint activity stands alone.
    assert not [row for row in candidates(full) if "B2" in row[3] and not row[6]]


def test_the_program_dimension_names_its_coordinator_and_members_with_when_they_joined(
    warehouses: tuple[Path, Path],
) -> None:
    full, _ = warehouses
    program = rows(
        full,
        "SELECT opd_code, coordinator_opd_code, member_opd_codes, member_count "
        "FROM marts.dim_program WHERE program_code = 'P-DINAS-A'",
    )
    assert program == [("DINAS-A", "DINAS-B", ["DINAS-A", "DINAS-B"], 2)]
    members = rows(
        full,
        "SELECT m.opd_code, m.program_role, m.joined_at = e.recorded_at "
        "FROM marts.dim_program_member m JOIN events.opd_joined_program e "
        "ON m.joined_position = e.position "
        "WHERE m.program_code = 'P-DINAS-A' ORDER BY 1",
    )
    assert members == [("DINAS-B", "coordinator", True)]
    owner = rows(
        full,
        "SELECT m.program_role, m.joined_position = p.position "
        "FROM marts.dim_program_member m JOIN events.program_registered p "
        "ON p.code = m.program_code WHERE m.program_code = 'P-DINAS-A' AND m.opd_code = 'DINAS-A'",
    )
    assert owner == [("owner", True)]


def test_the_quarter_dimension_is_the_spine_with_indonesian_labels(
    warehouses: tuple[Path, Path],
) -> None:
    full, _ = warehouses
    quarters = rows(
        full, "SELECT quarter, quarter_label, triwulan_label, is_closed FROM marts.dim_quarter"
    )
    assert sorted(quarters) == [
        ("2017-Q1", "Triwulan I 2017", "Triwulan I", True),
        ("2017-Q2", "Triwulan II 2017", "Triwulan II", True),
    ]
    spine = rows(full, "SELECT DISTINCT quarter FROM marts.opd_quarter ORDER BY 1")
    assert spine == [("2017-Q1",), ("2017-Q2",)]


def test_the_kecamatan_dimension_has_both_codes_groupings_and_a_label_point(
    warehouses: tuple[Path, Path],
) -> None:
    full, _ = warehouses
    grati = rows(
        full,
        "SELECT kecamatan_bps_code, kecamatan_name, is_east, region_group, "
        "service_region_code IS NOT NULL, round(label_lat, 1), round(label_lng, 1) "
        "FROM marts.dim_kecamatan WHERE kecamatan_code = ?",
        [GRATI],
    )
    assert grati == [("3514220", "Grati", True, "timur", True, -7.7, 113.0)]
    counts = rows(
        full,
        "SELECT count(*), count(DISTINCT kecamatan_bps_code), count(label_lat), "
        "count(*) FILTER (WHERE is_east) FROM marts.dim_kecamatan",
    )
    assert counts == [(24, 24, 24, 6)]


def test_the_activity_dimension_carries_merges_and_problems(
    warehouses: tuple[Path, Path],
) -> None:
    full, _ = warehouses
    found = rows(
        full,
        "SELECT activity_code, opd_code, is_merged, merged_into_code, problem_codes, "
        "merged_activity_codes FROM marts.dim_activity WHERE activity_code IN ('B2', 'J1') "
        "ORDER BY 1",
    )
    assert found == [
        ("B2", "DINAS-B", True, "J1", ["P1"], []),
        ("J1", "DINAS-A", False, None, ["P1"], ["A2", "B2"]),
    ]
    # Every activity of the quarterly mart is in the dimension (the relationships tests of a
    # `dbt build` check the same on every store).
    orphans = rows(
        full,
        "SELECT count(*) FROM marts.activity_quarter a "
        "ANTI JOIN marts.dim_activity d USING (activity_code)",
    )
    assert orphans == [(0,)]
