"""The marts show what the 2017 demo was built to show.

The demo is recorded into a SQLite store through the app, projected into DuckDB by the
projector and built by `dbt build` (every data test and dbt unit test included). Each expected
value is derived here from the demo's own story (apps/demo_story.py), never read back from the
marts.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from test_marts_helpers import project, rows, run_dbt

from apps import demo_story as story
from apps.demo import load_demo
from domain.kecamatan import all_kecamatan
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

# One worker builds the demo warehouse once for every test here (make test runs xdist with
# --dist loadgroup).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("marts_demo")]

YEAR = story.YEAR
QUARTERS = [f"{YEAR}-Q{n}" for n in range(1, 5)]
CODE_OF = {k.name: k.code for k in all_kecamatan()}
ACTIVITIES = {a.code: a for a in story.ACTIVITIES}
MERGED = story.MERGE["activities"]
MERGED_AFTER = story.MERGE["after_quarter"]


# Session-scoped: xdist may interleave this module's tests with others on the same worker, and
# a module-scoped fixture would then be built again (a full dbt build each time).
@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("demo")
    app = build_application(Settings.from_env({}, home=home))
    load_demo(app)
    path = home / "warehouse.duckdb"
    project(app, path)
    app.close()
    run_dbt(
        path,
        "build",
        state=home / "dbt",
        environment={"MONEV_DEMO_POPULATION": "true"},
    )
    yield path


def band(achievement_pct: float) -> str:
    """Permendagri 86/2017 as the brief states it: cut-offs read as "at least"."""
    for floor, name in ((91, "Sangat Tinggi"), (76, "Tinggi"), (66, "Sedang"), (51, "Rendah")):
        if achievement_pct >= floor:
            return name
    return "Sangat Rendah"


def reported(activity: story.DemoActivity, number: int) -> float | None:
    """The indicator value the demo records for an activity in triwulan ``number``."""
    if (activity.opd, number) in story.MISSING_EVALUATIONS:
        return None
    if activity.code in MERGED and number > MERGED_AFTER:
        return None
    if (activity.code, f"{YEAR}-Q{number}") == story.DEMO_FACTS["corrected_evaluation"]:
        return 31  # the corrected value, not the typo
    return round(activity.targets[number - 1] * activity.pace, 1)


def achievement_at(activity: story.DemoActivity, number: int) -> float:
    values = [reported(activity, n) for n in range(1, number + 1)]
    if activity.kind == "cumulative":
        latest = next((v for v in reversed(values) if v is not None), 0.0)
        return 100 * latest / activity.targets[number - 1]
    return 100 * sum(v or 0.0 for v in values) / sum(activity.targets[:number])


def test_the_doubled_mentors_serve_two_kecamatan_in_every_quarter(warehouse: Path) -> None:
    for mentor, names in story.DEMO_FACTS["mentors_covering_two_kecamatan"].items():
        found = rows(
            warehouse,
            "SELECT quarter, kecamatan_codes, is_dobel FROM marts.mentor_quarter "
            "WHERE mentor_code = ? ORDER BY quarter",
            [mentor],
        )
        expected_codes = sorted(CODE_OF[name] for name in names)
        assert found == [(q, expected_codes, True) for q in QUARTERS]
    dobel = rows(
        warehouse,
        "SELECT DISTINCT mentor_code FROM marts.mentor_quarter WHERE is_dobel ORDER BY 1",
    )
    assert dobel == [(m,) for m in sorted(story.DEMO_FACTS["mentors_covering_two_kecamatan"])]


def test_kecamatan_without_a_mentor_and_with_two_are_the_stated_ones(warehouse: Path) -> None:
    for quarter, names in story.DEMO_FACTS["kecamatan_without_mentor"].items():
        gaps = rows(
            warehouse,
            "SELECT kecamatan_name FROM marts.mentor_coverage_quarter "
            "WHERE quarter = ? AND is_gap AND mentor_count = 0",
            [quarter],
        )
        assert {name for (name,) in gaps} == set(names), quarter
    for quarter, names in story.DEMO_FACTS["kecamatan_with_two_mentors"].items():
        doubled = rows(
            warehouse,
            "SELECT kecamatan_name, mentor_count FROM marts.mentor_coverage_quarter "
            "WHERE quarter = ? AND is_doubled",
            [quarter],
        )
        assert sorted(doubled) == sorted((name, 2) for name in names), quarter


def test_the_merged_activity_budget_is_counted_once(warehouse: Path) -> None:
    merged_budget = story.DEMO_FACTS["merged_budget_rp"]
    assert sum(ACTIVITIES[code].pagu_rp for code in MERGED) == merged_budget
    everything = sum(a.pagu_rp for a in story.ACTIVITIES)
    by_quarter = rows(
        warehouse,
        "SELECT quarter, sum(counted_pagu_rp) FROM marts.activity_quarter GROUP BY 1 ORDER BY 1",
    )
    assert by_quarter == [(q, everything) for q in QUARTERS]
    by_opd = rows(
        warehouse, "SELECT quarter, sum(pagu_rp) FROM marts.opd_quarter GROUP BY 1 ORDER BY 1"
    )
    assert by_opd == [(q, everything) for q in QUARTERS]
    joint = rows(
        warehouse,
        "SELECT merged_activity_codes, lead_opd_code, combined_pagu_rp, pagu_rp, "
        "merged_from_quarter FROM marts.joint_activities WHERE joint_activity_code = ?",
        [story.MERGE["joint_code"]],
    )
    first_joint_quarter = f"{YEAR}-Q{MERGED_AFTER + 1}"
    assert joint == [
        (list(MERGED), story.MERGE["lead_opd"], merged_budget, merged_budget, first_joint_quarter)
    ]
    counted = dict(
        rows(
            warehouse,
            "SELECT activity_code || '@' || quarter, counted_pagu_rp FROM marts.activity_quarter "
            "WHERE activity_code IN (?, ?, ?)",
            [*MERGED, story.MERGE["joint_code"]],
        )
    )
    for number, quarter in enumerate(QUARTERS, start=1):
        before_merge = number <= MERGED_AFTER
        for code in MERGED:
            assert counted[f"{code}@{quarter}"] == (ACTIVITIES[code].pagu_rp if before_merge else 0)
        assert counted.get(f"{story.MERGE['joint_code']}@{quarter}", 0) == (
            0 if before_merge else merged_budget
        )


def test_overdue_recommendations_per_opd(warehouse: Path) -> None:
    overdue = story.DEMO_FACTS["overdue_at_2017_Q4"]
    found = rows(
        warehouse,
        "SELECT opd_code, recommendations_overdue FROM marts.opd_quarter "
        "WHERE quarter = '2017-Q4' AND recommendations_overdue > 0",
    )
    assert dict(found) == {opd: len(codes) for opd, codes in overdue.items()}
    listed = rows(
        warehouse,
        "SELECT opd_code, recommendation_code FROM marts.recommendations WHERE is_overdue",
    )
    assert sorted(listed) == sorted((opd, c) for opd, codes in overdue.items() for c in codes)


def test_the_late_opds_have_the_reporting_gaps_of_the_story(warehouse: Path) -> None:
    compliance = {
        (opd, quarter): pct
        for opd, quarter, pct in rows(
            warehouse,
            "SELECT opd_code, quarter, reporting_compliance_pct FROM marts.opd_quarter "
            "WHERE evaluations_expected > 0",
        )
    }
    missing = {(opd, f"{YEAR}-Q{n}") for opd, n in story.MISSING_EVALUATIONS}
    assert missing <= compliance.keys()
    for key, pct in compliance.items():
        assert pct == (0.0 if key in missing else 100.0), key


def test_the_east_gets_its_share_of_the_located_budget(warehouse: Path) -> None:
    east_names = set(story.DEMO_FACTS["east_kecamatan"])
    located = [a for a in story.ACTIVITIES if a.kecamatan is not None]
    east = sum(a.pagu_rp for a in located if a.kecamatan in east_names)
    rest = sum(a.pagu_rp for a in located if a.kecamatan not in east_names)
    found = rows(
        warehouse,
        "SELECT quarter, east_pagu_rp, rest_pagu_rp, east_budget_share_pct, is_population_demo, "
        "williamson_index IS NOT NULL, theil_index IS NOT NULL "
        "FROM marts.disparity_quarter ORDER BY quarter",
    )
    assert [r[:3] for r in found] == [(q, east, rest) for q in QUARTERS]
    for _, _, _, share, is_demo, has_williamson, has_theil in found:
        assert share == pytest.approx(100 * east / (east + rest))
        assert is_demo and has_williamson and has_theil


@pytest.mark.parametrize(
    ("code", "number"),
    [
        ("A-DISPERTA-01", 4),  # cumulative, 78% of the target
        ("A-DISNAKER-01", 4),  # incremental, missed triwulan II
        ("A-DISPERINDAG-01", 4),  # cumulative with a target of 0 in triwulan I
        ("A-DPMPTSP-01", 2),  # above 100% stays Sangat Tinggi
        ("A-DISKOP-02", 1),  # corrected after the rakor
    ],
)
def test_the_band_of_a_known_activity(warehouse: Path, code: str, number: int) -> None:
    expected = achievement_at(ACTIVITIES[code], number)
    found = rows(
        warehouse,
        "SELECT achievement_pct, band FROM marts.activity_quarter "
        "WHERE activity_code = ? AND quarter = ?",
        [code, f"{YEAR}-Q{number}"],
    )
    assert len(found) == 1
    achievement, found_band = found[0]
    assert achievement == pytest.approx(expected)
    assert found_band == band(expected)


def test_problems_without_an_activity_are_the_unaddressed_ones(warehouse: Path) -> None:
    for quarter in QUARTERS:
        found = rows(
            warehouse,
            "SELECT problem_code FROM marts.problem_quarter WHERE quarter = ? AND is_unaddressed",
            [quarter],
        )
        assert sorted(c for (c,) in found) == sorted(story.DEMO_FACTS["unaddressed_problems"])


# The marts' keys, ranges and allowed values are constraints of their enforced contracts:
# DuckDB refuses a row that breaks one while dbt builds the table, so the build fails. Each case
# writes one such row into a copy of the built warehouse.
BROKEN_ROWS = [
    pytest.param(
        "INSERT INTO marts.opd_quarter SELECT * FROM marts.opd_quarter LIMIT 1", id="primary key"
    ),
    pytest.param(
        "INSERT INTO marts.recommendations SELECT * FROM marts.recommendations LIMIT 1",
        id="unique",
    ),
    pytest.param(
        "UPDATE marts.activity_quarter SET physical_to_date_pct = 100.5 "
        "WHERE activity_code = (SELECT min(activity_code) FROM marts.activity_quarter)",
        id="range",
    ),
    pytest.param("UPDATE marts.opd_quarter SET band = 'Luar Biasa'", id="accepted values"),
    pytest.param("UPDATE marts.kecamatan_quarter SET mentor_count = NULL", id="not null"),
]


@pytest.mark.parametrize("statement", BROKEN_ROWS)
def test_a_mart_refuses_a_row_that_breaks_its_contract(
    warehouse: Path, tmp_path: Path, statement: str
) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(warehouse, copy)
    with duckdb.connect(str(copy)) as con, pytest.raises(duckdb.ConstraintException):
        con.execute(statement)


def test_the_food_inflation_activities_were_suggested_before_their_merge(
    warehouse: Path, tmp_path: Path
) -> None:
    """The warehouse as it stood just before the merge event (an as-of build by position)
    suggests merging exactly the two activities the demo merged; after it, the same group is
    listed as already merged into the joint activity."""
    merged = sorted(MERGED)
    after = rows(
        warehouse,
        "SELECT activity_codes, is_already_merged, merged_into_code, combined_pagu_rp "
        "FROM marts.merge_candidates WHERE problem_code = 'PRB-05'",
    )
    pagu = sum(ACTIVITIES[code].pagu_rp for code in merged)
    assert after == [(merged, True, story.MERGE["joint_code"], pagu)]

    [(merge_position,)] = rows(warehouse, "SELECT min(position) FROM events.activities_merged")
    before = tmp_path / "before.duckdb"
    shutil.copyfile(warehouse, before)
    run_dbt(
        before,
        "build",
        "--resource-type",
        "model",
        "--resource-type",
        "seed",
        "--select",
        "+merge_candidates",
        state=tmp_path / "dbt",
        variables={"as_of_position": merge_position - 1},
    )
    suggested = rows(
        before,
        "SELECT reason, fiscal_year, activity_codes, opd_codes, combined_pagu_rp, "
        "is_already_merged FROM marts.merge_candidates WHERE problem_code = 'PRB-05'",
    )
    opds = sorted(ACTIVITIES[code].opd for code in merged)
    assert suggested == [("same_problem", YEAR, merged, opds, pagu, False)]
