"""Build plans as data: what a plan selects, how it is kept and found (no dbt here)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
import yaml

from projections import build_plan as plans
from projections.build_plan import BuildPlan, DataTest, PlanNode
from projections.dbt_build import DEFAULT_PROJECT_DIR
from projections.plan_execution import SESSION_SETTINGS

SOURCES = {"source.monev.events.a": "a", "source.monev.events.b": "b"}
NODES = (
    PlanNode("model.monev.stg_a", "view", ("source.monev.events.a",), schema="s", name="stg_a"),
    PlanNode("model.monev.stg_b", "view", ("source.monev.events.b",), schema="s", name="stg_b"),
    PlanNode("model.monev.eph", "ephemeral", ("model.monev.stg_a",)),
    PlanNode("model.monev.t", "table", ("model.monev.eph",), schema="m", name="t", sql="select 1"),
    PlanNode(
        "test.monev.t_ok",
        "test",
        ("model.monev.t",),
        sql="select 1 where false",
        test=DataTest(),
    ),
    PlanNode(
        "model.monev.i",
        "incremental",
        ("model.monev.stg_b",),
        schema="m",
        name="i",
        sql="select 1 as k",
        incremental_sql="select 2 as k",
        unique_key=("k",),
    ),
)


def plan(directory: Path | None = None, key: str = "k1") -> BuildPlan:
    return BuildPlan(key, NODES, dict(SOURCES), directory, "warehouse.duckdb")


def test_downstream_follows_views_and_ephemeral_models_to_tests() -> None:
    assert plan().downstream_of(["a"]) == {
        "model.monev.stg_a",
        "model.monev.eph",
        "model.monev.t",
        "test.monev.t_ok",
    }
    assert plan().downstream_of(["b"]) == {"model.monev.stg_b", "model.monev.i"}
    assert plan().downstream_of(["neither"]) == set()


def save_one(tmp_path: Path, roots: list[Path], key: str) -> BuildPlan:
    made = tmp_path / f"making-{key}"
    made.mkdir()
    duckdb.connect(str(made / "warehouse.duckdb")).close()
    return plans.save(plan(key=key), made, roots)


def test_a_saved_plan_is_found_whole(tmp_path: Path) -> None:
    roots = [tmp_path / "shared", tmp_path / "local"]
    saved = save_one(tmp_path, roots, "k1")
    found = plans.find("k1", roots)
    assert found == saved and found is not None
    assert found.directory == roots[0] / "k1" and found.template.is_file()
    assert found.nodes == NODES and found.sources == SOURCES
    assert plans.find("other", roots) is None


def test_a_project_directory_that_cannot_keep_plans_leaves_them_in_the_data_directory(
    tmp_path: Path,
) -> None:
    blocked = tmp_path / "read-only"
    blocked.write_text("not a directory")  # as unwritable for root as for anyone
    saved = save_one(tmp_path, [blocked / "plans", tmp_path / "local"], "k1")
    assert saved.directory == tmp_path / "local" / "k1"


def test_older_plans_are_removed_when_more_are_saved(tmp_path: Path) -> None:
    roots = [tmp_path / "shared"]
    for number in range(plans.KEEP_PLANS + 2):
        saved = save_one(tmp_path, roots, f"k{number}")
        os.utime(saved.directory, (number, number))  # saved in this order
    kept = sorted(entry.name for entry in roots[0].iterdir())
    assert len(kept) == plans.KEEP_PLANS and f"k{plans.KEEP_PLANS + 1}" in kept
    assert "k0" not in kept


def test_a_plan_of_another_format_is_not_found(tmp_path: Path) -> None:
    roots = [tmp_path / "shared"]
    saved = save_one(tmp_path, roots, "k1")
    assert saved.directory is not None
    text = (saved.directory / plans.PLAN_FILE).read_text()
    (saved.directory / plans.PLAN_FILE).write_text(
        text.replace(f'"version": {plans.PLAN_VERSION}', '"version": 0')
    )
    assert plans.find("k1", roots) is None


def test_the_plan_session_is_the_profiles_session() -> None:
    """dbt-duckdb sets the profile's settings on its connection; a plan's build must too."""
    profiles = yaml.safe_load((DEFAULT_PROJECT_DIR / "profiles.yml").read_text())
    output = profiles["monev"]["outputs"][profiles["monev"]["target"]]
    assert output["settings"] == SESSION_SETTINGS


def test_the_ddl_of_a_relation_keeps_its_constraints_and_comments(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "t.duckdb")) as con:
        con.execute("CREATE SCHEMA m")
        con.execute("CREATE TABLE m.t (k INTEGER NOT NULL UNIQUE, v DOUBLE CHECK (v >= 0))")
        con.execute("COMMENT ON TABLE m.t IS 'Per quarter, it''s the table'")
        con.execute("COMMENT ON COLUMN m.t.k IS 'The key'")
        ddl = plans.relation_ddl(con, "m", "t")
    with duckdb.connect(str(tmp_path / "u.duckdb")) as con:
        con.execute("CREATE SCHEMA m")
        for statement in ddl:
            con.execute(statement)
        assert con.execute(
            "SELECT comment FROM duckdb_tables() WHERE table_name = 't'"
        ).fetchall() == [("Per quarter, it's the table",)]
        assert con.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 't' "
            "ORDER BY column_index"
        ).fetchall() == [("k", "The key"), ("v", None)]
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO m.t VALUES (1, -1)")
