"""What the marts tests share: a small story told through the domain commands, the projector
into DuckDB, and `dbt build` run the way `monev refresh` runs it (its own process, the DuckDB
path in MONEV_DUCKDB_PATH, telemetry off).

Each dbt run gets its own target and log directories under the test's temporary directory, so
tests running side by side (and developers working in dbt_project/) never share dbt's state.
The one test here builds the whole project on a store with no events at all.

``build_from_plan`` builds a file the way `monev refresh` builds a candidate: from the
checkout project's build plan (made by dbt once, kept under dbt_project/target/monev-plans/ as a
refresh keeps it), in full or downstream of the event tables that received rows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from domain.actors import ADMIN, OPD, Actor
from domain.application import Monev
from domain.events import all_event_classes
from projections import build_plan as plans
from projections import plan_execution
from projections.dbt_build import (
    DbtWorker,
    project_digest,
    seed_parse_state,
    share_parse_state,
    shared_parse_dir,
)
from projections.projector import catch_up

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")
MARTS = (
    "activity_quarter",
    "opd_quarter",
    "kecamatan_quarter",
    "disparity_quarter",
    "mentor_coverage_quarter",
    "mentor_quarter",
    "recommendations",
    "joint_activities",
    "problem_quarter",
)
ADMIN_ACTOR = Actor("admin", ADMIN)


def memory_app() -> Monev:
    return Monev(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def project(app: Monev, path: Path) -> int:
    """Catches the DuckDB file up with the store through the real projector."""
    return catch_up(app, path, event_classes=all_event_classes()).events


def run_dbt(
    path: Path,
    *arguments: str,
    state: Path,
    variables: Mapping[str, Any] | None = None,
    environment: Mapping[str, str] | None = None,
) -> str:
    """Runs one dbt command on the file at ``path``; a failure fails the test with the output.

    Like the refresh's worker, it names the file relative to its directory (the working
    directory of dbt) and starts from the last parse of the project for a file of that name
    and these variables: dbt's parse state depends on the profile, so it stays valid from one
    test's file to the next, and dbt parses again only what changed (or everything, if
    anything it cannot vouch for did).
    """
    env = {
        **os.environ,
        "MONEV_DUCKDB_PATH": path.name,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        "DO_NOT_TRACK": "1",
        **(environment or {}),
    }
    shared = shared_parse_dir(PROJECT_DIR, path.name, dict(variables or {}))
    seed_parse_state(shared, state)
    command = [
        str(DBT),
        *arguments,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(state / "target"),
        "--log-path",
        str(state / "logs"),
    ]
    if variables:
        command += ["--vars", json.dumps(dict(variables))]
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=path.parent, check=False
    )
    assert result.returncode == 0, f"dbt {' '.join(arguments)} failed:\n{result.stdout[-6000:]}"
    share_parse_state(state, shared)
    return result.stdout


def build_models(
    path: Path,
    *options: str,
    state: Path,
    variables: Mapping[str, Any] | None = None,
) -> str:
    """Seeds and models only: for tests about the numbers, where the data tests and dbt unit
    tests (run by the demo test's full build) would only add minutes."""
    arguments = ("build", "--resource-type", "model", "--resource-type", "seed", *options)
    return run_dbt(path, *arguments, state=state, variables=variables)


def stamp(path: Path, incremental_from: int | None) -> None:
    """What `monev refresh` writes into its candidate before the build: NULL for a build from
    scratch, else the position of the published warehouse it is a copy of."""
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE OR REPLACE TABLE main.warehouse_meta AS SELECT ?::BIGINT AS incremental_from",
            [incremental_from],
        )


def checkout_plan(path: Path) -> plans.BuildPlan:
    """The checkout project's build plan for a stamped database like ``path``: found, or made
    by dbt now (once for every test that needs it, as for every refresh)."""
    key = plans.plan_key(project_digest(PROJECT_DIR, {}), path)
    roots = [PROJECT_DIR / "target" / "monev-plans"]
    found = plans.find(key, roots)
    if found is not None:
        return found
    making = Path(tempfile.mkdtemp(prefix="monev-plan-"))
    template = making / "warehouse.duckdb"
    plans.make_template(path, template)
    with DbtWorker(PROJECT_DIR) as worker:
        nodes, sources = worker.compile_plan(template, state_dir=making / "dbt")
    return plans.save(plans.complete(key, nodes, sources, template), making, roots)


def build_from_plan(
    path: Path, *, changed: Iterable[str] | None = None, threads: int | None = None
) -> None:
    """Builds the stamped file at ``path`` from the checkout's plan: everything (a projection
    without dbt's tables), or what the new rows of the ``changed`` event tables feed."""
    plan_execution.execute(
        checkout_plan(path),
        path,
        changed=None if changed is None else list(changed),
        threads=threads,
    )


def rows(path: Path, sql: str, parameters: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        return con.execute(sql, parameters or []).fetchall()


def mart_snapshot(path: Path, tables: tuple[str, ...] = MARTS) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table named, sorted, for comparing two warehouses."""
    snapshot: dict[str, list[tuple[Any, ...]]] = {}
    for table in tables:
        schema, _, name = table.rpartition(".")
        found = rows(path, f"SELECT * FROM {schema or 'marts'}.{name}")
        snapshot[table] = sorted(found, key=repr)
    return snapshot


def opd_actor(code: str) -> Actor:
    return Actor(f"opd-{code.lower()}", OPD, code)


# -- a small story in three parts, told through the commands -----------------------------


def story_first_quarter(app: Monev) -> None:
    """Two OPDs, four activities, triwulan I reported (one activity late), rakor and close."""
    app.register_opd(ADMIN_ACTOR, code="DINAS-A", name="Dinas A")
    app.register_opd(ADMIN_ACTOR, code="DINAS-B", name="Dinas B")
    for opd in ("DINAS-A", "DINAS-B"):
        app.register_program(
            ADMIN_ACTOR, code=f"P-{opd}", name=f"Program {opd}", opd_code=opd, fiscal_year=2017
        )
    activities = (
        ("A1", "DINAS-A", "Grati", "cumulative", (25.0, 50.0, 75.0, 100.0), 1_000_000),
        ("A2", "DINAS-A", "Bangil", "incremental", (10.0, 10.0, 10.0, 10.0), 2_000_000),
        ("B1", "DINAS-B", None, "incremental", (5.0, 5.0, 5.0, 5.0), 500_000),
        ("B2", "DINAS-B", "Nguling", "incremental", (10.0, 10.0, 10.0, 10.0), 3_000_000),
    )
    for code, opd, kecamatan, kind, targets, pagu in activities:
        app.register_activity(
            opd_actor(opd), code=code, program_code=f"P-{opd}", opd_code=opd,
            name=f"Kegiatan {code}", pagu_rp=pagu, indicator_name="Keluaran",
            indicator_unit="unit", indicator_kind=kind,
            annual_target=targets[3] if kind == "cumulative" else sum(targets),
            quarterly_targets=targets, kecamatan=kecamatan,
        )  # fmt: skip
    app.identify_problem(ADMIN_ACTOR, code="P1", title="Izin usaha", category="izin_usaha")
    app.identify_problem(ADMIN_ACTOR, code="P2", title="Pasar", category="sarana_prasarana")
    app.map_activity_to_problem(opd_actor("DINAS-B"), activity_code="B2", problem_code="P1")
    app.register_mentor(
        ADMIN_ACTOR, code="M1", name="Mentor Satu", recruited_by_opd="DINAS-A",
        kind="kecamatan", registered_on=date(2017, 1, 2),
    )  # fmt: skip
    app.register_mentor(
        ADMIN_ACTOR, code="M2", name="Mentor Dua", recruited_by_opd="DINAS-A",
        kind="kecamatan", registered_on=date(2017, 1, 2),
    )  # fmt: skip
    for mentor, kecamatan in (("M1", "Grati"), ("M1", "Lekok"), ("M2", "Bangil")):
        app.assign_mentor(
            ADMIN_ACTOR, mentor_code=mentor, kecamatan=kecamatan, from_date=date(2017, 1, 9)
        )
    record(app, "A1", "2017-Q1", physical=20, spent=100_000, value=20)
    record(app, "A2", "2017-Q1", physical=25, spent=500_000, value=8)
    record(app, "B1", "2017-Q1", physical=30, spent=100_000, value=5)
    app.evaluate_mentor_commitment(
        ADMIN_ACTOR, mentor_code="M1", quarter="2017-Q1", score=80, reports_submitted=3,
        umkm_assisted=30, umkm_target=40,
    )  # fmt: skip
    app.hold_rakor(
        ADMIN_ACTOR, quarter="2017-Q1", held_on=date(2017, 4, 12),
        attending_opd_codes=["DINAS-A"],
    )  # fmt: skip
    app.issue_recommendation(
        ADMIN_ACTOR, code="R1", quarter="2017-Q1", opd_code="DINAS-B",
        text="Laporkan B2 tepat waktu.", due_quarter="2017-Q2", activity_code="B2",
    )  # fmt: skip
    app.issue_recommendation(
        ADMIN_ACTOR, code="R2", quarter="2017-Q1", opd_code="DINAS-A",
        text="Percepat A1.", due_quarter="2017-Q2", activity_code="A1",
    )  # fmt: skip
    app.close_quarter(ADMIN_ACTOR, quarter="2017-Q1")


def story_second_quarter(app: Monev) -> None:
    """Back-dated and replaced records, a merge, a follow-up, a mentor leaving; Q2 closed."""
    app.correct_evaluation(
        opd_actor("DINAS-A"), activity_code="A1", quarter="2017-Q1", physical_pct=20,
        financial_rp=120_000, indicator_value=22, reason="Salah ketik.",
    )  # fmt: skip
    record(app, "A1", "2017-Q2", physical=45, spent=150_000, value=45)
    record(app, "A2", "2017-Q2", physical=50, spent=100_000, value=5)
    record(app, "A2", "2017-Q2", physical=50, spent=300_000, value=9)  # replaces the one above
    record(app, "B1", "2017-Q2", physical=60, spent=100_000, value=5)
    app.merge_activities(
        ADMIN_ACTOR, joint_code="J1", name="Kegiatan bersama", lead_opd_code="DINAS-A",
        activity_codes=["A2", "B2"],
    )  # fmt: skip
    record(app, "J1", "2017-Q2", physical=40, spent=900_000, value=15)
    app.follow_up_recommendation(
        opd_actor("DINAS-A"), code="R2", quarter="2017-Q2", progress="Selesai.", is_done=True
    )
    app.unassign_mentor(
        ADMIN_ACTOR, mentor_code="M2", kecamatan="Bangil", to_date=date(2017, 5, 31)
    )
    app.evaluate_mentor_commitment(
        ADMIN_ACTOR, mentor_code="M1", quarter="2017-Q2", score=90, reports_submitted=3,
        umkm_assisted=44, umkm_target=40,
    )  # fmt: skip
    app.hold_rakor(ADMIN_ACTOR, quarter="2017-Q2", held_on=date(2017, 7, 12))
    app.close_quarter(ADMIN_ACTOR, quarter="2017-Q2")


def story_third_quarter(app: Monev) -> None:
    """A correction of the closed triwulan II and the first reports of triwulan III."""
    app.correct_evaluation(
        opd_actor("DINAS-A"), activity_code="J1", quarter="2017-Q2", physical_pct=40,
        financial_rp=950_000, indicator_value=16, reason="Revisi laporan bersama.",
    )  # fmt: skip
    record(app, "A1", "2017-Q3", physical=70, spent=200_000, value=70)
    record(app, "J1", "2017-Q3", physical=70, spent=800_000, value=20)
    app.define_service_region(ADMIN_ACTOR, code="WP-X", name="Wilayah X", kecamatan=["Grati"])


def record(
    app: Monev, code: str, quarter: str, *, physical: float, spent: int, value: float
) -> None:
    opd = app.get_activity(code).opd_code
    app.record_evaluation(
        opd_actor(opd), activity_code=code, quarter=quarter, physical_pct=physical,
        financial_rp=spent, indicator_value=value,
    )  # fmt: skip


def moment_between_events() -> datetime:
    """A time strictly after every event recorded so far and before every later one."""
    time.sleep(0.01)
    moment = datetime.now(UTC)
    time.sleep(0.01)
    return moment


# -- the test ----------------------------------------------------------------------------


def test_the_marts_build_on_a_store_without_events(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    assert project(memory_app(), path) == 0
    # Every model, seed and data test; the dbt unit tests (the same whatever the store) run in
    # test_marts_demo's full build.
    run_dbt(path, "build", "--exclude-resource-type", "unit_test", state=tmp_path / "dbt")
    for mart in MARTS:
        assert rows(path, f"SELECT count(*) FROM marts.{mart}") == [(0,)], mart
