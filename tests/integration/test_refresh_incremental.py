"""Refreshes built on the published warehouse give the warehouse a build from scratch gives.

The real dbt project, through `monev refresh` (``Refresher``) on a SQLite home. The store
grows step by step through the domain commands: new evaluations, corrections of closed
quarters, a merge, a target revision, a new OPD, a recommendation and its follow-up, quarters
starting and closing. After each step the live warehouse is refreshed on the published one
(the new events appended, only the dbt nodes they feed rebuilt; incremental models recompute
what those events touch), and compared, table by table and view by view, with a warehouse
built from scratch from a copy of the same store in another home.

This is the guard for incremental models: whatever they skip, the marts must not differ. Both
warehouses are built as `monev refresh` builds them, from the project's build plan (dbt's
compiled SQL); tests/integration/test_build_plan.py checks the plan against `dbt build` itself.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from test_marts_helpers import (
    ADMIN_ACTOR,
    opd_actor,
    record,
    story_first_quarter,
    story_second_quarter,
    story_third_quarter,
)

from domain.application import Monev
from eventstore.settings import Settings
from projections.dbt_build import DEFAULT_PROJECT_DIR, DbtWorker
from projections.publish import read_stamp
from projections.refresh import Refresher

pytestmark = pytest.mark.slow

COMPARED_SCHEMAS = ("events", "staging", "intermediate", "marts", "reference")
# Not data but a record of the build: which activities an incremental build recomputed
# (empty when everything was built from scratch), so it differs by design.
BUILD_RECORDS = frozenset({"intermediate.int_activities_changed"})


def revise_a_target(app: Monev) -> None:
    """One event of one type: only what reads activity_targets_revised is rebuilt."""
    app.revise_activity_targets(
        opd_actor("DINAS-A"), activity_code="A1", annual_target=90.0,
        quarterly_targets=(20.0, 45.0, 70.0, 90.0), reason="Anggaran perubahan.",
        pagu_rp=1_200_000,
    )  # fmt: skip


def new_opd_recommendation_and_closed_quarter(app: Monev) -> None:
    """A new OPD with an activity reported late into an open quarter, a recommendation and
    its follow-up, and triwulan III closed after its rakor."""
    app.register_opd(ADMIN_ACTOR, code="DINAS-C", name="Dinas C")
    app.register_program(
        ADMIN_ACTOR, code="P-DINAS-C", name="Program C", opd_code="DINAS-C", fiscal_year=2017
    )
    app.register_activity(
        opd_actor("DINAS-C"), code="C1", program_code="P-DINAS-C", opd_code="DINAS-C",
        name="Kegiatan C1", pagu_rp=700_000, indicator_name="Keluaran", indicator_unit="unit",
        indicator_kind="incremental", annual_target=40.0,
        quarterly_targets=(10.0, 10.0, 10.0, 10.0), kecamatan="Lekok",
    )  # fmt: skip
    record(app, "C1", "2017-Q3", physical=30, spent=200_000, value=12)
    record(app, "B1", "2017-Q3", physical=80, spent=50_000, value=5)
    app.hold_rakor(ADMIN_ACTOR, quarter="2017-Q3", held_on=date(2017, 10, 11))
    app.issue_recommendation(
        ADMIN_ACTOR, code="R3", quarter="2017-Q3", opd_code="DINAS-C",
        text="Lengkapi laporan C1.", due_quarter="2017-Q4", activity_code="C1",
    )  # fmt: skip
    app.follow_up_recommendation(
        opd_actor("DINAS-C"), code="R3", quarter="2017-Q3", progress="Sedang disusun."
    )
    app.close_quarter(ADMIN_ACTOR, quarter="2017-Q3")


def fourth_quarter_starts(app: Monev) -> None:
    """Triwulan IV's first reports, and a correction of the closed triwulan III."""
    record(app, "A1", "2017-Q4", physical=95, spent=300_000, value=90)
    record(app, "C1", "2017-Q4", physical=60, spent=250_000, value=11)
    app.correct_evaluation(
        opd_actor("DINAS-C"), activity_code="C1", quarter="2017-Q3", physical_pct=35,
        financial_rp=210_000, indicator_value=13, reason="Data lapangan terlambat.",
    )  # fmt: skip


STEPS: tuple[Callable[[Monev], None], ...] = (
    story_second_quarter,  # closed-quarter correction, Q2 starts, a merge, a follow-up, Q2 closed
    revise_a_target,
    story_third_quarter,  # correction of the closed Q2, Q3 starts, a service region
    new_opd_recommendation_and_closed_quarter,
    fourth_quarter_starts,
)


@pytest.fixture(scope="module")
def dbt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DbtWorker]:
    """The worker on a snapshot of the project (and the reference seeds it reads beside it):
    an edit in the checkout while the test runs would change the digest and rightly make a
    refresh build from scratch, which is not what this test is about."""
    with DbtWorker(snapshot_project(tmp_path_factory.mktemp("checkout"))) as worker:
        yield worker


def snapshot_project(root: Path) -> Path:
    """A copy of the dbt project (and the reference seeds it reads beside it) under ``root``."""
    skip = shutil.ignore_patterns("target", "logs", "dbt_packages", "__pycache__")
    shutil.copytree(DEFAULT_PROJECT_DIR, root / "dbt_project", ignore=skip)
    reference = DEFAULT_PROJECT_DIR.parent / "domain" / "reference"
    shutil.copytree(reference, root / "domain" / "reference", ignore=skip)
    return root / "dbt_project"


def copy_sqlite_store(source: Path, home: Path) -> None:
    """A consistent copy of a store that is open elsewhere (SQLite's online backup)."""
    home.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as origin, sqlite3.connect(home / "events.sqlite") as copy:
        origin.backup(copy)
    origin.close()
    copy.close()


def built_from_scratch(settings: Settings, home: Path, dbt: DbtWorker) -> Path:
    """The warehouse a first refresh of a copy of the store builds, in a home of its own."""
    shutil.rmtree(home, ignore_errors=True)
    copy_sqlite_store(settings.sqlite_path, home)
    scratch = Settings.from_env({}, home=home)
    with Refresher(scratch, dbt=dbt) as refresher:
        assert refresher.refresh().incremental_from is None
    return scratch.warehouse_path


def contents(path: Path) -> dict[str, list[str]]:
    """Every row of every table and view in the compared schemas, order-independent.

    Doubles are compared to 12 significant digits: a sum over the same rows in another order
    may differ in its last bits, which is not a difference in the data.
    """
    found: dict[str, list[str]] = {}
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        relations = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_catalog = current_database() AND table_schema IN "
            f"({', '.join('?' for _ in COMPARED_SCHEMAS)}) ORDER BY 1, 2",
            list(COMPARED_SCHEMAS),
        ).fetchall()
        for schema, name in relations:
            if f"{schema}.{name}" in BUILD_RECORDS:
                continue
            rows = con.execute(f'SELECT * FROM "{schema}"."{name}"').fetchall()
            found[f"{schema}.{name}"] = sorted(repr(tuple(map(_normal, row))) for row in rows)
    return found


def _normal(value: Any) -> Any:
    if isinstance(value, float):
        return f"{value:.12g}"
    if isinstance(value, list):
        return [_normal(item) for item in value]
    return value


def differences(built: dict[str, list[str]], scratch: dict[str, list[str]]) -> list[str]:
    problems = [f"{name}: only in one warehouse" for name in built.keys() ^ scratch.keys()]
    for name in sorted(built.keys() & scratch.keys()):
        if built[name] != scratch[name]:
            extra = sorted(set(built[name]) - set(scratch[name]))[:3]
            missing = sorted(set(scratch[name]) - set(built[name]))[:3]
            problems.append(f"{name}: built on the base has {extra}, from scratch {missing}")
    return problems


def test_refreshes_on_the_published_warehouse_equal_builds_from_scratch(
    tmp_path: Path, dbt: DbtWorker, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings.from_env({}, home=tmp_path / "live")
    scratch_home = tmp_path / "scratch"
    with Refresher(settings, dbt=dbt) as refresher:
        story_first_quarter(refresher.app)
        previous = refresher.refresh()
        assert previous.incremental_from is None  # the first refresh builds everything
        for step in STEPS:
            step(refresher.app)
            caplog.clear()
            with caplog.at_level("INFO", logger="monev.refresh"):
                result = refresher.refresh()
            assert result.events > 0
            assert result.incremental_from == previous.position, step.__name__
            stamp = read_stamp(settings.warehouse_path)
            assert stamp is not None and stamp.incremental_from == previous.position
            if step is revise_a_target:
                assert "new events in activity_targets_revised, event_log." in caplog.text
            scratch = built_from_scratch(settings, scratch_home, dbt)
            problems = differences(contents(settings.warehouse_path), contents(scratch))
            assert problems == [], f"after {step.__name__}:\n" + "\n".join(problems)
            previous = result
        # Nothing new: no dbt, no copy, nothing published (the file is the one published last).
        published = read_stamp(settings.warehouse_path)
        again = refresher.refresh()
        assert again.events == 0 and again.unchanged and again.position == previous.position
        assert read_stamp(settings.warehouse_path) == published
