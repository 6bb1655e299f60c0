"""A small, valid 2017 story recorded through the domain commands, for tests of any tier.

``build_story(app)`` records three agencies, one program, three activities, two problems, one
evaluation, two rakor (triwulan I closed, triwulan II open), a recommendation, a mentor and a
service region, each by the user a real office would send. ``NEXT_COMMANDS`` then lists one
valid next step per domain command, with the agencies whose staff may take it, so tests can
run every command as any actor, or spoil one argument and expect a refusal.

Import it as ``from domain_story import build_story`` (``tests/`` is on the import path).
``open_application`` builds the application on any of the three stores the same way the
entry points do, through ``eventstore.bootstrap``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from domain.actors import Actor
from domain.application import Monev
from domain.errors import MonevError
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

YEAR = 2017

# Agencies
DISKOP = "DISKOPUKM"  # Dinas Koperasi dan Usaha Mikro, runs the BDS clinics
TANI = "DISPERTA"  # Dinas Pertanian
TERNAK = "DISNAK"  # Dinas Peternakan
OPD_CODES = (DISKOP, TANI, TERNAK)

# Users
ADMIN = Actor("rina", "admin")
DISKOP_STAFF = Actor("budi", "opd", DISKOP)
TANI_STAFF = Actor("sari", "opd", TANI)
TERNAK_STAFF = Actor("agus", "opd", TERNAK)
VIEWER = Actor("bupati", "viewer")
STAFF = {DISKOP: DISKOP_STAFF, TANI: TANI_STAFF, TERNAK: TERNAK_STAFF}

# Records
PROGRAM = "PRG-EKO-2017"
BDS = "ACT-BDS"  # DISKOPUKM, Grati, cumulative; evaluated in triwulan I
CHILI = "ACT-CABAI"  # DISPERTA, Lekok, incremental tonnes of food supply
CATTLE = "ACT-TERNAK"  # DISNAK, Lekok, incremental tonnes of food supply
JOINT = "ACT-PANGAN"  # what CHILI and CATTLE become when merged
PERMIT_PROBLEM = "PRB-IZIN"
INFLATION_PROBLEM = "PRB-INFLASI"
RECOMMENDATION = "REK-2017-I-01"  # to DISKOPUKM about BDS, due triwulan II
MENTOR = "MTR-01"  # assigned to Grati
REGION = "WP-TIMUR"
CLOSED_QUARTER = "2017-Q1"
OPEN_QUARTER = "2017-Q2"  # its rakor is held, it is not closed yet

PAGU = {BDS: 450_000_000, CHILI: 200_000_000, CATTLE: 150_000_000}


STORES = ("memory", "sqlite", "postgres")


def open_application(
    store: str, home: Path, postgres_env: Mapping[str, str] | None = None
) -> Monev:
    """The application on an in-memory, SQLite (``home/events.sqlite``) or PostgreSQL store."""
    if store == "postgres":
        if postgres_env is None:
            msg = "A PostgreSQL store needs the persistence settings of a database."
            raise ValueError(msg)
        settings = Settings.from_env(dict(postgres_env), home=home)
    else:
        settings = Settings.from_env({}, home=home, event_store=store)
    assert settings.event_store == store
    return build_application(settings)


def register_bds(app: Monev, actor: Actor = DISKOP_STAFF, **changes: Any) -> None:
    """The BDS clinic activity; ``changes`` replace any of its arguments."""
    kwargs: dict[str, Any] = {
        "code": BDS,
        "program_code": PROGRAM,
        "opd_code": DISKOP,
        "name": "Klinik BDS UMKM wilayah timur",
        "kecamatan": "Grati",
        "pagu_rp": PAGU[BDS],
        "indicator_name": "UMKM didampingi",
        "indicator_unit": "UMKM",
        "indicator_kind": "cumulative",
        "annual_target": 400,
        "quarterly_targets": (100, 200, 300, 400),
    }
    app.register_activity(actor, **{**kwargs, **changes})


def register_food_supply(
    app: Monev, code: str, opd_code: str, pagu_rp: int, annual_target: float, **changes: Any
) -> None:
    """An incremental food-supply activity (tonnes) in Lekok, registered by its agency's staff."""
    quarter = annual_target / 4
    kwargs: dict[str, Any] = {
        "code": code,
        "program_code": PROGRAM,
        "opd_code": opd_code,
        "name": f"Stabilisasi pasokan pangan ({opd_code})",
        "kecamatan": "Lekok",
        "pagu_rp": pagu_rp,
        "indicator_name": "Pasokan pangan",
        "indicator_unit": "ton",
        "indicator_kind": "incremental",
        "annual_target": annual_target,
        "quarterly_targets": (quarter, quarter, quarter, quarter),
    }
    app.register_activity(STAFF[opd_code], **{**kwargs, **changes})


def build_story(app: Monev) -> int:
    """Records the story and returns the store's last notification id after it."""
    app.register_opd(ADMIN, code=DISKOP, name="Dinas Koperasi dan Usaha Mikro")
    app.register_opd(ADMIN, code=TANI, name="Dinas Pertanian")
    app.register_opd(ADMIN, code=TERNAK, name="Dinas Peternakan")
    app.register_program(
        ADMIN,
        code=PROGRAM,
        name="Pengembangan ekonomi wilayah timur",
        opd_code=DISKOP,
        fiscal_year=YEAR,
    )
    # DISKOPUKM leads the program; the others take part once they joined it.
    app.join_program(ADMIN, program_code=PROGRAM, opd_code=TANI, role="member")
    app.join_program(ADMIN, program_code=PROGRAM, opd_code=TERNAK, role="member")
    register_bds(app)
    register_food_supply(app, CHILI, TANI, PAGU[CHILI], 40)
    register_food_supply(app, CATTLE, TERNAK, PAGU[CATTLE], 80)
    app.identify_problem(
        ADMIN,
        code=PERMIT_PROBLEM,
        title="UMKM belum berizin usaha",
        category="izin_usaha",
        kecamatan="Grati",
    )
    app.identify_problem(
        ADMIN,
        code=INFLATION_PROBLEM,
        title="Harga cabai dan daging naik",
        category="inflasi_pangan",
        kecamatan="Lekok",
    )
    app.map_activity_to_problem(DISKOP_STAFF, activity_code=BDS, problem_code=PERMIT_PROBLEM)
    app.record_evaluation(
        DISKOP_STAFF,
        activity_code=BDS,
        quarter=CLOSED_QUARTER,
        physical_pct=25,
        financial_rp=100_000_000,
        indicator_value=90,
        drivers="Pendamping aktif",
        obstacles="Izin usaha lambat",
    )
    app.hold_rakor(
        ADMIN, quarter=CLOSED_QUARTER, held_on=date(YEAR, 4, 12), attending_opd_codes=OPD_CODES
    )
    app.issue_recommendation(
        ADMIN,
        code=RECOMMENDATION,
        quarter=CLOSED_QUARTER,
        opd_code=DISKOP,
        text="Percepat fasilitasi izin usaha mikro",
        due_quarter=OPEN_QUARTER,
        activity_code=BDS,
        problem_code=PERMIT_PROBLEM,
    )
    app.close_quarter(ADMIN, quarter=CLOSED_QUARTER)
    app.hold_rakor(ADMIN, quarter=OPEN_QUARTER, held_on=date(YEAR, 7, 11))
    app.register_mentor(
        ADMIN,
        code=MENTOR,
        name="Dewi Lestari",
        recruited_by_opd=DISKOP,
        kind="kecamatan",
        registered_on=date(YEAR, 1, 2),
    )
    app.assign_mentor(ADMIN, mentor_code=MENTOR, kecamatan="Grati", from_date=date(YEAR, 1, 9))
    app.define_service_region(
        ADMIN, code=REGION, name="Wilayah pelayanan timur", kecamatan=("Grati", "Lekok")
    )
    return app.last_position()


@dataclass(frozen=True)
class Command:
    """One valid next step after ``build_story``: accepted from an admin, or from staff of
    one of ``owners`` (empty for commands only division staff may run)."""

    name: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    owners: tuple[str, ...] = ()

    def run(self, app: Monev, actor: Actor, **changes: Any) -> Any:
        method: Callable[..., Any] = getattr(app, self.name)
        return method(actor, **{**self.kwargs, **changes})

    @property
    def is_admin_only(self) -> bool:
        return not self.owners


NEXT_COMMANDS: tuple[Command, ...] = (
    Command("register_opd", {"code": "DISPERINDAG", "name": "Dinas Perindustrian"}),
    Command(
        "register_program",
        {
            "code": "PRG-TANI-2017",
            "name": "Ketahanan pangan",
            "opd_code": TANI,
            "fiscal_year": YEAR,
        },
        (TANI,),
    ),
    Command("join_program", {"program_code": PROGRAM, "opd_code": DISKOP, "role": "coordinator"}),
    Command(
        "register_activity",
        {
            "code": "ACT-BDS-02",
            "program_code": PROGRAM,
            "opd_code": DISKOP,
            "name": "Pelatihan manajemen koperasi",
            "kecamatan": "35.14.21",
            "pagu_rp": 180_000_000,
            "indicator_name": "Peserta pelatihan",
            "indicator_unit": "orang",
            "indicator_kind": "incremental",
            "annual_target": 120,
            "quarterly_targets": (0, 40, 40, 40),
        },
        (DISKOP,),
    ),
    Command(
        "revise_activity_targets",
        {
            "activity_code": BDS,
            "annual_target": 500,
            "quarterly_targets": (100, 250, 375, 500),
            "reason": "Tambahan anggaran P-APBD",
            "pagu_rp": 500_000_000,
        },
        (DISKOP,),
    ),
    Command(
        "identify_problem",
        {
            "code": "PRB-MODAL",
            "title": "Akses modal UMKM",
            "category": "permodalan",
            "kecamatan": "3514240",
        },
    ),
    Command(
        "map_activity_to_problem",
        {"activity_code": CHILI, "problem_code": INFLATION_PROBLEM},
        (TANI,),
    ),
    Command(
        "merge_activities",
        {
            "joint_code": JOINT,
            "name": "Pengendalian inflasi pangan",
            "lead_opd_code": TANI,
            "activity_codes": (CHILI, CATTLE),
        },
    ),
    Command("hold_rakor", {"quarter": "2017-Q3", "held_on": date(YEAR, 10, 10)}),
    Command("close_quarter", {"quarter": OPEN_QUARTER}),
    Command(
        "record_evaluation",
        {
            "activity_code": BDS,
            "quarter": OPEN_QUARTER,
            "physical_pct": 50,
            "financial_rp": 120_000_000,
            "indicator_value": 190,
        },
        (DISKOP,),
    ),
    Command(
        "correct_evaluation",
        {
            "activity_code": BDS,
            "quarter": CLOSED_QUARTER,
            "physical_pct": 30,
            "financial_rp": 100_000_000,
            "indicator_value": 95,
            "reason": "Salah ketik pada laporan triwulan I",
        },
        (DISKOP,),
    ),
    Command(
        "issue_recommendation",
        {
            "code": "REK-2017-I-02",
            "quarter": CLOSED_QUARTER,
            "opd_code": TANI,
            "text": "Laporkan luas tanam cabai",
            "due_quarter": OPEN_QUARTER,
            "activity_code": CHILI,
        },
    ),
    Command(
        "follow_up_recommendation",
        {
            "code": RECOMMENDATION,
            "quarter": OPEN_QUARTER,
            "progress": "40 UMKM dibantu izin",
            "is_done": False,
        },
        (DISKOP,),
    ),
    Command(
        "define_service_region",
        {
            "code": "WP-BARAT",
            "name": "Wilayah pelayanan barat",
            "kecamatan": ("Purwodadi", "Prigen"),
        },
    ),
    Command(
        "register_mentor",
        {
            "code": "MTR-ADM",
            "name": "Eko Prasetyo",
            "recruited_by_opd": DISKOP,
            "kind": "kabupaten",
            "registered_on": date(YEAR, 2, 1),
        },
    ),
    Command(
        "assign_mentor",
        {"mentor_code": MENTOR, "kecamatan": "Nguling", "from_date": date(YEAR, 2, 1)},
    ),
    Command(
        "unassign_mentor",
        {
            "mentor_code": MENTOR,
            "kecamatan": "Grati",
            "to_date": date(YEAR, 6, 30),
            "reason": "Pindah tugas",
        },
    ),
    Command(
        "evaluate_mentor_commitment",
        {
            "mentor_code": MENTOR,
            "quarter": CLOSED_QUARTER,
            "score": 80,
            "reports_submitted": 3,
            "umkm_assisted": 25,
            "umkm_target": 30,
            "permits_facilitated": 4,
        },
    ),
)

COMMANDS = {command.name: command for command in NEXT_COMMANDS}


def assert_refused(
    app: Monev, error: type[MonevError], call: Callable[[], object], match: str | None = None
) -> MonevError:
    """Asserts that ``call`` is refused with ``error`` and a message, and stores nothing."""
    before = app.last_position()
    with pytest.raises(error, match=match) as caught:
        call()
    assert str(caught.value).strip(), "a refusal must say why"
    assert app.last_position() == before, "a refused command must store nothing"
    return caught.value
