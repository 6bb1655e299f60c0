"""All-or-nothing import on both persistent stores, and a write that lost a race.

The import's single write is the library's ``EventStore.put``: one transaction on SQLite and on
PostgreSQL alike. These tests run the same file through both, and check that a record changed
by someone else between checking and storing makes the whole import store nothing, also when
what changed is another aggregate than the file's (a quarter closed meanwhile).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from apps.spreadsheets.importer import UnitOfWork, import_spreadsheet
from apps.spreadsheets.rows import ACTIVITIES, EVALUATIONS
from domain.actors import ADMIN, OPD, Actor
from domain.application import Monev
from domain.errors import ConflictError
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

ADMIN_ACTOR = Actor("admin", ADMIN)
DISKOP = Actor("opd-diskopukm", OPD, "DISKOPUKM")
YEAR = 2018


def open_store(store: str, home: Path, postgres: Mapping[str, str] | None) -> Monev:
    if store == "postgres":
        assert postgres is not None
        settings = Settings.from_env(dict(postgres), home=home)
    else:
        settings = Settings.from_env({}, home=home)
    assert settings.event_store == store
    app = build_application(settings)
    app.register_opd(ADMIN_ACTOR, code="DISKOPUKM", name="Dinas Koperasi dan Usaha Mikro")
    app.register_program(
        ADMIN_ACTOR, code="P-2018", name="Program", opd_code="DISKOPUKM", fiscal_year=YEAR
    )
    return app


@pytest.fixture(params=["sqlite", "postgres"])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Monev]:
    postgres = (
        request.getfixturevalue("fresh_postgres_env") if request.param == "postgres" else None
    )
    application = open_store(request.param, tmp_path / "home", postgres)
    yield application
    application.close()


def workbook(path: Path, activities: int, bad: int | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = ACTIVITIES.title
    sheet.append([c.key for c in ACTIVITIES.input_columns])
    for i in range(activities):
        annual = 50 if i == bad else 40
        sheet.append(
            [f"K-{i:03d}", "P-2018", "DISKOPUKM", f"Kegiatan {i}", "Grati", "Rp 10.000.000",
             "Keluaran", "unit", "inkremental", annual, 10, 10, 10, 10]
        )  # fmt: skip
    evaluations = book.create_sheet(EVALUATIONS.title)
    evaluations.append([c.key for c in EVALUATIONS.input_columns])
    for i in range(activities):
        evaluations.append([f"K-{i:03d}", f"{YEAR}-Q1", "25", "2.500.000", 10, "", ""])
    book.save(path)
    return path


def test_all_or_nothing_and_idempotent_on_each_store(app: Monev, tmp_path: Path) -> None:
    before = app.last_position()
    refused = import_spreadsheet(app, DISKOP, workbook(tmp_path / "bad.xlsx", 50, bad=20))
    assert {(p.sheet, p.row) for p in refused.refused} == {
        ("Kegiatan", 22),  # the refused registration
        ("Realisasi", 22),  # and the evaluation of the activity it would have registered
    }
    assert app.last_position() == before

    path = workbook(tmp_path / "good.xlsx", 50)
    stored = import_spreadsheet(app, DISKOP, path)
    assert stored.ok and stored.stored == 100
    assert app.last_position() - before == 100
    events = app.recorder.select_notifications(before, 1000, inclusive_of_start=False)
    assert {app.mapper.to_domain_event(n).actor for n in events} == {DISKOP}  # type: ignore[attr-defined]

    again = import_spreadsheet(app, DISKOP, path)
    assert (again.stored, again.skipped) == (0, 100)
    assert app.last_position() - before == 100


def test_a_record_changed_while_checking_makes_the_import_store_nothing(
    app: Monev, tmp_path: Path
) -> None:
    import_spreadsheet(app, DISKOP, workbook(tmp_path / "a.xlsx", 3))
    work = UnitOfWork(app)
    work.record_evaluation(
        DISKOP, activity_code="K-001", quarter=f"{YEAR}-Q2", physical_pct=50,
        financial_rp=1_000_000, indicator_value=10,
    )  # fmt: skip
    # Meanwhile someone records the same activity's realisation directly.
    app.record_evaluation(
        DISKOP, activity_code="K-001", quarter=f"{YEAR}-Q2", physical_pct=55,
        financial_rp=1_000_000, indicator_value=11,
    )  # fmt: skip
    position = app.last_position()
    with pytest.raises(ConflictError, match="nothing was stored"):
        work.commit()
    assert app.last_position() == position
    assert app.get_activity("K-001").evaluations[f"{YEAR}-Q2"]["physical_pct"] == 55


def test_a_quarter_closed_elsewhere_while_checking_makes_the_import_store_nothing(
    app: Monev, tmp_path: Path
) -> None:
    """The rows were checked against an open quarter; the write must not land in a closed one."""
    import_spreadsheet(app, DISKOP, workbook(tmp_path / "a.xlsx", 1))
    elsewhere = Monev(env=dict(app.env))  # another user's process on the same store
    quarter = f"{YEAR}-Q1"
    closed: list[bool] = []

    def close_meanwhile(phase: str, done: int, total: int) -> None:
        if phase == "check" and done == total and not closed:  # every row checked, none stored
            elsewhere.hold_rakor(ADMIN_ACTOR, quarter=quarter, held_on=date(YEAR, 4, 10))
            elsewhere.close_quarter(ADMIN_ACTOR, quarter=quarter)
            closed.append(True)

    before = app.last_position()
    try:
        with pytest.raises(ConflictError, match="nothing was stored"):
            import_spreadsheet(
                app, DISKOP, workbook(tmp_path / "b.xlsx", 2), progress=close_meanwhile
            )
    finally:
        elsewhere.close()
    assert closed and app.last_position() == before + 2  # the rakor and the closure only
