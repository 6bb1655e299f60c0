"""A build plan builds the warehouse dbt builds, from scratch and on the published warehouse.

The real dbt project (a snapshot, so an edit in the checkout cannot change the digest midway)
and two homes with the same store: one refreshes from the project's build plan (as `monev
refresh` does), the other with `dbt build` itself (``Refresher(plans=False)``), in full and
then, after each step of the story, on its published warehouse (dbt's own selection and
incremental models). After each refresh the two warehouses must hold the same tables and
views, with the same columns, types, constraints, comments and view definitions, and the same
rows (EXCEPT ALL both ways): the plan's SQL is dbt's, and this is the check that the plan runs
it as dbt does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from test_marts_helpers import story_first_quarter, story_second_quarter
from test_refresh_incremental import (
    copy_sqlite_store,
    new_opd_recommendation_and_closed_quarter,
    snapshot_project,
)

from domain.application import Monev
from eventstore.settings import Settings
from projections import build_plan as plans
from projections import plan_execution
from projections.dbt_build import DbtFailedError, DbtWorker, project_digest
from projections.publish import copy_published, discard
from projections.refresh import Refresher, plan_roots

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("build_plan")]

BUILT_SCHEMAS = ("staging", "intermediate", "marts", "reference")
CATALOG = {
    "tables": """SELECT schema_name, table_name, sql, comment FROM duckdb_tables()
                 WHERE database_name = '{db}' AND schema_name IN {schemas}""",
    "views": """SELECT schema_name, view_name, sql, comment FROM duckdb_views()
                WHERE database_name = '{db}' AND schema_name IN {schemas}""",
    "columns": """SELECT schema_name, table_name, column_name, column_index, data_type,
                         is_nullable, column_default, comment
                  FROM duckdb_columns()
                  WHERE database_name = '{db}' AND schema_name IN {schemas}""",
    "constraints": """SELECT schema_name, table_name, constraint_type, constraint_text
                      FROM duckdb_constraints()
                      WHERE database_name = '{db}' AND schema_name IN {schemas}""",
}

Step = Callable[[Monev], None]


# Session-scoped, like the others a module's tests share: xdist may interleave modules on a
# worker, and a module-scoped project would be copied, and its plan made by dbt, again.
@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot_project(tmp_path_factory.mktemp("checkout"))


@pytest.fixture(scope="session")
def dbt(project: Path) -> Iterator[DbtWorker]:
    with DbtWorker(project) as worker:
        yield worker


def refreshed_by_dbt(live: Settings, home: Path, dbt: DbtWorker) -> Path:
    """dbt's own refresh of a copy of the live store (on its published warehouse, if any)."""
    copy_sqlite_store(live.sqlite_path, home)  # over what it held: the same events
    settings = Settings.from_env({}, home=home)
    with Refresher(settings, dbt=dbt, plans=False) as refresher:
        refresher.refresh()
    return settings.warehouse_path


def catalog_differences(planned: Path, by_dbt: Path) -> list[str]:
    problems = []
    with duckdb.connect(str(planned), read_only=True) as con:
        con.execute(f"ATTACH '{by_dbt}' AS by_dbt (READ_ONLY)")
        mine = con.execute("SELECT current_database()").fetchone()
        assert mine is not None
        schemas = str(BUILT_SCHEMAS)
        for what, query in CATALOG.items():
            ours = set(con.execute(query.format(db=mine[0], schemas=schemas)).fetchall())
            theirs = set(con.execute(query.format(db="by_dbt", schemas=schemas)).fetchall())
            if ours != theirs:
                only = sorted(ours - theirs, key=str)[:2], sorted(theirs - ours, key=str)[:2]
                problems.append(f"{what}: only the plan's {only[0]}, only dbt's {only[1]}")
        tables = con.execute(
            CATALOG["tables"].format(db=mine[0], schemas=schemas)
            + " UNION ALL "
            + CATALOG["views"].format(db=mine[0], schemas=schemas)
        ).fetchall()
        assert len(tables) > 40
        for schema, name, _, _ in tables:
            ours, theirs = f'"{mine[0]}"."{schema}"."{name}"', f'by_dbt."{schema}"."{name}"'
            for left, right in ((ours, theirs), (theirs, ours)):
                extra = con.execute(
                    f"SELECT count(*) FROM (SELECT * FROM {left} EXCEPT ALL SELECT * FROM {right})"
                ).fetchone()
                if extra is None or extra[0]:
                    problems.append(f"{schema}.{name}: {extra} rows of {left} not in {right}")
    return problems


# (One event of each table, built from the plan, is compared with a plan's build from scratch
# in test_incremental_per_event_table.)
STEPS: tuple[Step, ...] = (
    story_second_quarter,  # a merge, a correction of a closed quarter, quarters closing
    new_opd_recommendation_and_closed_quarter,  # a new OPD, a recommendation, a rakor
)


def test_a_plan_builds_what_dbt_builds(tmp_path: Path, project: Path, dbt: DbtWorker) -> None:
    live = Settings.from_env({}, home=tmp_path / "live")
    with Refresher(live, dbt=dbt) as refresher:
        story_first_quarter(refresher.app)
        first = refresher.refresh()
        assert first.incremental_from is None
        # The plan was made by dbt for this project and kept beside it.
        assert list((project / "target" / "monev-plans").iterdir())
        by_dbt = refreshed_by_dbt(live, tmp_path / "dbt", dbt)
        assert catalog_differences(live.warehouse_path, by_dbt) == []
        for step in STEPS:
            step(refresher.app)
            result = refresher.refresh()
            assert result.incremental_from is not None, step.__name__
            by_dbt = refreshed_by_dbt(live, tmp_path / "dbt", dbt)
            problems = catalog_differences(live.warehouse_path, by_dbt)
            assert problems == [], f"after {step.__name__}:\n" + "\n".join(problems)


def test_a_forged_event_fails_the_build_and_keeps_nothing_of_it(
    tmp_path: Path, project: Path, dbt: DbtWorker
) -> None:
    live = Settings.from_env({}, home=tmp_path / "live")
    with Refresher(live, dbt=dbt) as refresher:
        story_first_quarter(refresher.app)
        refresher.refresh()
    candidate = copy_published(live.warehouse_path, tmp_path / "candidate" / "warehouse.duckdb")
    plan = plans.find(
        plans.plan_key(project_digest(project, {}), candidate), plan_roots(project, live)
    )
    assert plan is not None
    counts = (
        "SELECT (SELECT count(*) FROM staging.stg_events__opds_registered), "
        "(SELECT count(*) FROM marts.dim_opd)"
    )
    with duckdb.connect(str(candidate)) as con:
        before = con.execute(counts).fetchone()
        # An event stored twice: the same position in one table twice.
        con.execute("INSERT INTO events.opd_registered SELECT * FROM events.opd_registered LIMIT 1")
    assert before is not None and before[0] == before[1] > 0
    # A contract's constraint or a data test refuses it (test_projection_refresh has a failing
    # data test of its own); either way nothing of the build stays.
    with pytest.raises(DbtFailedError, match=r"dbt build failed:\n  (model|test)\.monev\."):
        plan_execution.execute(plan, candidate, changed=["opd_registered"])
    with duckdb.connect(str(candidate), read_only=True) as con:
        # The staging view sees the forged row; the tables built from it were rolled back.
        assert con.execute(counts).fetchone() == (before[0] + 1, before[1])
    discard(candidate)
