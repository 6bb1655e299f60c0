"""The write side's rules, told as one story and run on three stores.

Every test runs on the in-memory store, on an SQLite file and on a real PostgreSQL database
(a new, empty one per test), each built by ``eventstore.bootstrap`` as the entry points build it.
When the throwaway PostgreSQL server cannot start, its tests fail rather than skip.
Every refusal is checked to carry a message and to leave the store's last notification id
where it was.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from domain_story import (
    ADMIN,
    BDS,
    CATTLE,
    CHILI,
    CLOSED_QUARTER,
    COMMANDS,
    DISKOP,
    DISKOP_STAFF,
    JOINT,
    MENTOR,
    NEXT_COMMANDS,
    OPD_CODES,
    OPEN_QUARTER,
    PAGU,
    PERMIT_PROBLEM,
    RECOMMENDATION,
    STAFF,
    TANI,
    TANI_STAFF,
    TERNAK,
    TERNAK_STAFF,
    VIEWER,
    YEAR,
    Command,
    assert_refused,
    build_story,
    open_application,
    register_bds,
    register_food_supply,
)
from eventsourcing.domain import DomainEventProtocol
from pg_server import APP_ROLE, PostgresServer
from psycopg import sql

from domain.activities import Activity
from domain.actors import ROLES, Actor
from domain.agencies import Opd
from domain.application import Monev
from domain.errors import (
    ActivityMergedError,
    ConflictError,
    DuplicateError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    QuarterClosedError,
)
from domain.programs import Program
from domain.rules import aggregate_id
from domain.satrya_emas import Mentor

STORES = [
    pytest.param("memory", id="memory"),
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_app(store: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Monev]:
    """A new application on an empty store of the kind under test."""
    postgres_env = request.getfixturevalue("fresh_postgres_env") if store == "postgres" else None
    application = open_application(store, tmp_path, postgres_env)
    try:
        yield application
    finally:
        application.close()


class RecordedStories:
    """The story recorded once per store and process, then copied for each test.

    Recording it takes about twenty transactions; copying an SQLite file or creating a
    PostgreSQL database from a template is one step, which keeps the suite quick. The copy
    is opened through ``eventstore.bootstrap`` like any store.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._sqlite_home: Path | None = None
        self._postgres: tuple[PostgresServer, str] | None = None

    def sqlite_copy(self, home: Path) -> Monev:
        if self._sqlite_home is None:
            self._sqlite_home = self.directory / "sqlite-story"
            _record_story("sqlite", self._sqlite_home)
        home.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self._sqlite_home / "events.sqlite", home / "events.sqlite")
        return open_application("sqlite", home)

    def postgres_copy(self, server: PostgresServer, home: Path) -> tuple[Monev, str]:
        if self._postgres is None:
            template = server.create_database()
            _record_story("postgres", self.directory / "pg-story", server.settings(template))
            self._postgres = (server, template)
        name = f"monev_{uuid.uuid4().hex[:16]}"
        with server.admin_connect() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {} TEMPLATE {} STRATEGY FILE_COPY").format(
                    sql.Identifier(name),
                    sql.Identifier(APP_ROLE),
                    sql.Identifier(self._postgres[1]),
                )
            )
        return open_application("postgres", home, server.settings(name)), name

    def drop(self) -> None:
        if self._postgres is not None:
            server, template = self._postgres
            server.drop_database(template)


def _record_story(store: str, home: Path, postgres_env: dict[str, str] | None = None) -> None:
    application = open_application(store, home, postgres_env)
    try:
        build_story(application)
    finally:
        application.close()


@pytest.fixture(scope="module")
def recorded_stories(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RecordedStories]:
    stories = RecordedStories(tmp_path_factory.mktemp("stories"))
    yield stories
    stories.drop()


@pytest.fixture
def app(
    store: str,
    tmp_path: Path,
    recorded_stories: RecordedStories,
    request: pytest.FixtureRequest,
) -> Iterator[Monev]:
    """The application after the shared 2017 story, on its own copy of the store."""
    database: str | None = None
    server: PostgresServer | None = None
    if store == "memory":
        application = open_application("memory", tmp_path)
        build_story(application)
    elif store == "sqlite":
        application = recorded_stories.sqlite_copy(tmp_path)
    else:
        server = request.getfixturevalue("postgres_server")
        application, database = recorded_stories.postgres_copy(server, tmp_path)
    try:
        yield application
    finally:
        application.close()
        if server is not None and database is not None:
            server.drop_database(database)


def test_each_test_gets_the_story_on_its_own_copy_of_the_store(app: Monev) -> None:
    assert app.last_position() == STORY_LENGTH
    app.register_opd(ADMIN, code="DISPERINDAG", name="Dinas Perindustrian")
    assert app.last_position() == STORY_LENGTH + 1


def events_after(app: Monev, position: int) -> list[tuple[int, DomainEventProtocol[Any]]]:
    """Notification ids and decoded events stored after ``position``."""
    notifications = app.recorder.select_notifications(start=position + 1, limit=10_000)
    return [(n.id, app.mapper.to_domain_event(n)) for n in notifications]


def evaluate(app: Monev, actor: Actor, activity_code: str, quarter: str, **changes: Any) -> None:
    kwargs: dict[str, Any] = {
        "activity_code": activity_code,
        "quarter": quarter,
        "physical_pct": 50,
        "financial_rp": 50_000_000,
        "indicator_value": 10,
    }
    app.record_evaluation(actor, **{**kwargs, **changes})


# --- the story itself ----------------------------------------------------------------------


STORY_LENGTH = 20  # events the story stores


def test_the_story_and_every_next_command_are_accepted_from_an_admin(empty_app: Monev) -> None:
    """Guards the other tests: their refusals come from the spoilt part, not the story."""
    last = build_story(empty_app)
    assert last == empty_app.last_position() == STORY_LENGTH
    for command in NEXT_COMMANDS:
        if command.name == "close_quarter":
            continue  # the later evaluation of that quarter relies on it being open
        command.run(empty_app, ADMIN)
        assert empty_app.last_position() > last, command.name
        last = empty_app.last_position()


# --- codes -----------------------------------------------------------------------------------

DUPLICATES = [
    pytest.param(lambda app: app.register_opd(ADMIN, code=" diskopukm ", name="Lagi"), id="opd"),
    pytest.param(
        lambda app: app.register_program(
            DISKOP_STAFF, code="prg-eko-2017", name="Lagi", opd_code=DISKOP, fiscal_year=YEAR
        ),
        id="program",
    ),
    pytest.param(lambda app: register_bds(app, code="  act-bds\t"), id="activity"),
    pytest.param(
        lambda app: app.identify_problem(
            ADMIN, code="Prb-Izin", title="Lagi", category="izin_usaha"
        ),
        id="problem",
    ),
    pytest.param(
        lambda app: app.register_mentor(
            ADMIN,
            code="mtr-01 ",
            name="Lagi",
            recruited_by_opd=DISKOP,
            kind="kecamatan",
            registered_on=date(YEAR, 1, 2),
        ),
        id="mentor",
    ),
    pytest.param(
        lambda app: app.issue_recommendation(
            ADMIN,
            code="rek-2017-i-01",
            quarter=CLOSED_QUARTER,
            opd_code=TANI,
            text="Lagi",
            due_quarter=OPEN_QUARTER,
        ),
        id="recommendation",
    ),
    pytest.param(
        lambda app: app.define_service_region(
            ADMIN, code="wp-timur", name="Lagi", kecamatan=["Nguling"]
        ),
        id="service-region",
    ),
    pytest.param(
        lambda app: app.hold_rakor(ADMIN, quarter="Triwulan I 2017", held_on=date(YEAR, 4, 20)),
        id="rakor",
    ),
]


@pytest.mark.parametrize("register_again", DUPLICATES)
def test_registering_a_code_twice_is_refused_whatever_its_case_or_spacing(
    app: Monev, register_again: Any
) -> None:
    assert_refused(app, DuplicateError, lambda: register_again(app), match="already")


@pytest.mark.parametrize(
    "durable_store",
    [pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)],
)
def test_a_code_registered_through_another_process_is_refused_by_the_store(
    durable_store: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Two processes on one store: the deterministic ids collide in the store itself."""
    env = request.getfixturevalue("fresh_postgres_env") if durable_store == "postgres" else None
    first = open_application(durable_store, tmp_path, env)
    second = open_application(durable_store, tmp_path, env)
    try:
        build_story(first)
        assert second.last_position() == first.last_position()
        assert_refused(
            second,
            DuplicateError,
            lambda: second.register_opd(ADMIN, code=DISKOP.lower(), name="Lagi"),
            match="already registered",
        )
        evaluate(second, DISKOP_STAFF, BDS, OPEN_QUARTER, physical_pct=40)
        assert first.get_activity(BDS).evaluations[OPEN_QUARTER]["physical_pct"] == 40
    finally:
        first.close()
        second.close()


def test_aggregate_ids_follow_from_codes_in_every_store(app: Monev) -> None:
    new_id = app.register_opd(ADMIN, code=" Disperindag", name="Dinas Perindustrian")
    assert new_id == Opd.create_id("DISPERINDAG") == aggregate_id("opd", "DISPERINDAG")
    stored_id = app.get_opd(" diskopukm").id
    assert str(stored_id) == "7af1bf27-85e3-5da1-8ee5-9afdcf39cfcc", "same code, same id, always"
    assert app.get_activity(" act-bds").id == Activity.create_id(BDS)
    assert app.get_mentor(MENTOR.lower()).id == Mentor.create_id(MENTOR)
    assert Activity.create_id(BDS) != Program.create_id(BDS), "kinds keep ids apart"


def test_a_code_with_spaces_or_symbols_inside_is_refused(app: Monev) -> None:
    for code in ("DINAS KOPERASI", "-DISKOP", "DISKOP#1", "", "Ä" * 3, "X" * 41):
        assert_refused(
            app,
            InvalidInputError,
            lambda code=code: app.register_opd(ADMIN, code=code, name="Dinas"),
            match="code",
        )


def test_a_command_naming_an_unregistered_record_is_refused(app: Monev) -> None:
    assert_refused(
        app, NotFoundError, lambda: evaluate(app, ADMIN, "ACT-NONE", OPEN_QUARTER), "not registered"
    )
    assert_refused(
        app,
        NotFoundError,
        lambda: app.map_activity_to_problem(ADMIN, activity_code=BDS, problem_code="PRB-NONE"),
    )
    assert_refused(
        app, NotFoundError, lambda: register_bds(app, ADMIN, code="ACT-X", program_code="PRG-NONE")
    )


# --- values ----------------------------------------------------------------------------------


@pytest.mark.parametrize("physical_pct", [-0.1, 100.01, 250, float("nan"), float("inf"), "lots"])
def test_physical_realisation_must_lie_between_0_and_100_percent(
    app: Monev, physical_pct: Any
) -> None:
    assert_refused(
        app,
        InvalidInputError,
        lambda: evaluate(app, DISKOP_STAFF, BDS, OPEN_QUARTER, physical_pct=physical_pct),
        match="Physical realisation",
    )


@pytest.mark.parametrize("physical_pct", [0, 0.0, 100, 100.0, 62.5])
def test_physical_realisation_from_0_to_100_percent_is_accepted(
    app: Monev, physical_pct: float
) -> None:
    evaluate(app, DISKOP_STAFF, BDS, OPEN_QUARTER, physical_pct=physical_pct)
    assert app.get_activity(BDS).evaluations[OPEN_QUARTER]["physical_pct"] == physical_pct


@pytest.mark.parametrize("money", [-1, -0.5, -450_000_000, float("-inf"), float("nan")])
def test_money_cannot_be_negative_or_not_a_number(app: Monev, money: float) -> None:
    assert_refused(
        app,
        InvalidInputError,
        lambda: evaluate(app, DISKOP_STAFF, BDS, OPEN_QUARTER, financial_rp=money),
        match="Financial realisation",
    )
    assert_refused(
        app,
        InvalidInputError,
        lambda: register_bds(app, code="ACT-BDS-03", pagu_rp=money),
        match="Pagu",
    )
    assert_refused(
        app,
        InvalidInputError,
        lambda: COMMANDS["revise_activity_targets"].run(app, ADMIN, pagu_rp=money),
        match="Pagu",
    )


def test_money_is_stored_as_whole_rupiah(app: Monev) -> None:
    evaluate(app, DISKOP_STAFF, BDS, OPEN_QUARTER, financial_rp=1_250_000.4)
    assert app.get_activity(BDS).evaluations[OPEN_QUARTER]["financial_rp"] == 1_250_000


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), -1])
def test_an_indicator_value_must_be_a_finite_non_negative_number(app: Monev, value: float) -> None:
    assert_refused(
        app,
        InvalidInputError,
        lambda: evaluate(app, DISKOP_STAFF, BDS, OPEN_QUARTER, indicator_value=value),
        match="Indicator",
    )


@pytest.mark.parametrize(
    "quarter", ["2017-Q5", "2017-Q0", "V 2017", "2017", "Q2", "triwulan 2017", "1999-Q1", ""]
)
def test_a_quarter_must_be_triwulan_i_to_iv_of_a_plausible_year(app: Monev, quarter: str) -> None:
    assert_refused(
        app, InvalidInputError, lambda: evaluate(app, DISKOP_STAFF, BDS, quarter), "quarter|year"
    )
    assert_refused(
        app,
        InvalidInputError,
        lambda: app.hold_rakor(ADMIN, quarter=quarter, held_on=date(YEAR, 12, 1)),
    )


@pytest.mark.parametrize("quarter", ["2017-Q2", "2017Q2", "Q2-2017", "II/2017", "triwulan ii 2017"])
def test_a_quarter_may_be_written_in_the_usual_ways(app: Monev, quarter: str) -> None:
    evaluate(app, DISKOP_STAFF, BDS, quarter)
    assert set(app.get_activity(BDS).evaluations) == {CLOSED_QUARTER, OPEN_QUARTER}


def test_an_evaluation_outside_the_activity_s_fiscal_year_is_refused(app: Monev) -> None:
    assert_refused(
        app,
        InvalidInputError,
        lambda: evaluate(app, DISKOP_STAFF, BDS, "2018-Q1"),
        match="fiscal year 2017",
    )


@pytest.mark.parametrize("kecamatan", ["Grati", "grati ", "35.14.20", "3514220"])
def test_a_kecamatan_is_accepted_by_name_kemendagri_code_or_bps_code(
    app: Monev, kecamatan: str
) -> None:
    register_bds(app, code="ACT-BDS-03", kecamatan=kecamatan)  # BPS 3514220 is Grati
    assert app.get_activity("ACT-BDS-03").kecamatan_code == "35.14.20"


@pytest.mark.parametrize("kecamatan", ["Surabaya", "35.14.25", "35.15.01", "3514999", "Grat"])
def test_an_unknown_kecamatan_is_refused(app: Monev, kecamatan: str) -> None:
    refusals = [
        lambda: register_bds(app, code="ACT-BDS-03", kecamatan=kecamatan),
        lambda: app.identify_problem(
            ADMIN, code="PRB-X", title="X", category="sdm", kecamatan=kecamatan
        ),
        lambda: app.assign_mentor(
            ADMIN, mentor_code=MENTOR, kecamatan=kecamatan, from_date=date(YEAR, 3, 1)
        ),
        lambda: app.define_service_region(
            ADMIN, code="WP-X", name="X", kecamatan=["Grati", kecamatan]
        ),
    ]
    for refusal in refusals:
        assert_refused(app, InvalidInputError, refusal, match="not a kecamatan")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("indicator_kind", "sometimes"),
        ("name", "   "),
        ("indicator_unit", "u" * 41),
        ("fiscal_year", 2018),
    ],
)
def test_an_activity_with_a_bad_field_is_refused(app: Monev, field: str, value: Any) -> None:
    assert_refused(
        app, InvalidInputError, lambda: register_bds(app, code="ACT-BDS-03", **{field: value})
    )


# --- targets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "annual", "targets", "match"),
    [
        ("cumulative", 400, (100, 200, 150, 400), "cannot go down"),
        ("cumulative", 400, (100, 200, 300, 350), "must equal the annual"),
        ("incremental", 400, (100, 100, 100, 50), "add up to 350"),
        ("incremental", 400, (100, 100, 200), "four quarterly targets"),
        ("cumulative", 400, (100, 200, 300, 400, 400), "four quarterly targets"),
        ("incremental", 400, (100, -100, 200, 200), "cannot be negative"),
        ("cumulative", float("nan"), (1, 2, 3, 4), "must be a number"),
    ],
)
def test_targets_must_fit_their_kind_and_the_annual_target(
    app: Monev, kind: str, annual: float, targets: tuple[float, ...], match: str
) -> None:
    assert_refused(
        app,
        InvalidInputError,
        lambda: register_bds(
            app,
            code="ACT-BDS-03",
            indicator_kind=kind,
            annual_target=annual,
            quarterly_targets=targets,
        ),
        match=match,
    )


def test_revised_targets_are_checked_against_the_activity_s_own_kind(app: Monev) -> None:
    assert_refused(
        app,
        InvalidInputError,
        lambda: app.revise_activity_targets(
            DISKOP_STAFF,
            activity_code=BDS,
            annual_target=400,
            quarterly_targets=(100, 100, 100, 100),  # fine if incremental; BDS is cumulative
            reason="Revisi",
        ),
        match="must equal the annual",
    )


def test_a_revision_of_targets_needs_a_reason(app: Monev) -> None:
    assert_refused(
        app,
        InvalidInputError,
        lambda: COMMANDS["revise_activity_targets"].run(app, DISKOP_STAFF, reason=" "),
        match="Reason",
    )


def test_revised_targets_and_pagu_replace_the_old_ones(app: Monev) -> None:
    COMMANDS["revise_activity_targets"].run(app, DISKOP_STAFF)
    activity = app.get_activity(BDS)
    assert (activity.pagu_rp, activity.annual_target) == (500_000_000, 500)
    assert activity.quarterly_targets == (100, 250, 375, 500)


# --- merging ---------------------------------------------------------------------------------

MERGE = COMMANDS["merge_activities"]


def test_a_merge_saves_the_joint_activity_and_closes_the_originals_in_one_transaction(
    app: Monev,
) -> None:
    before = app.last_position()
    joint_id = MERGE.run(app, ADMIN)
    stored = events_after(app, before)
    ids = [notification_id for notification_id, _ in stored]
    assert ids == list(range(before + 1, before + 5)), "one unbroken run of notification ids"
    kinds = [type(e).__name__ for _, e in stored]
    assert kinds == ["Registered", "Merged", "MergedInto", "MergedInto"]
    assert {e.originator_id for _, e in stored[2:]} == {
        Activity.create_id(CHILI),
        Activity.create_id(CATTLE),
    }
    joint = app.get_activity(JOINT)
    assert joint.id == joint_id == Activity.create_id(JOINT)
    assert joint.is_joint
    assert joint.pagu_rp == PAGU[CHILI] + PAGU[CATTLE] == stored[1][1].combined_pagu_rp
    assert joint.opd_code == TANI
    assert set(joint.participant_opds) == {TANI, TERNAK}
    assert joint.annual_target == 120, "same unit and kind: the targets add up"
    assert joint.quarterly_targets == (30, 30, 30, 30)
    assert joint.kecamatan_code == "35.14.22"  # both originals are in Lekok
    for code in (CHILI, CATTLE):
        assert app.get_activity(code).merged_into == JOINT


def test_a_merge_of_activities_with_different_units_keeps_the_lead_s_targets(app: Monev) -> None:
    MERGE.run(app, ADMIN, activity_codes=(BDS, CHILI), lead_opd_code=DISKOP)
    joint = app.get_activity(JOINT)
    assert (joint.indicator_unit, joint.annual_target) == ("UMKM", 400)
    assert joint.pagu_rp == PAGU[BDS] + PAGU[CHILI]
    assert joint.kecamatan_code is None, "Grati and Lekok: no single kecamatan"


def test_a_merged_activity_takes_no_new_evaluations(app: Monev) -> None:
    MERGE.run(app, ADMIN)
    for actor in (TANI_STAFF, ADMIN):
        assert_refused(
            app,
            ActivityMergedError,
            lambda actor=actor: evaluate(app, actor, CHILI, OPEN_QUARTER),
            match=f"merged into joint activity {JOINT}",
        )


def test_a_merged_activity_takes_no_target_revisions(app: Monev) -> None:
    MERGE.run(app, ADMIN)
    assert_refused(
        app,
        ActivityMergedError,
        lambda: app.revise_activity_targets(
            ADMIN,
            activity_code=CATTLE,
            annual_target=40,
            quarterly_targets=(10, 10, 10, 10),
            reason="Revisi",
        ),
    )


def test_merging_an_already_merged_activity_is_refused(app: Monev) -> None:
    MERGE.run(app, ADMIN)
    assert_refused(
        app,
        ActivityMergedError,
        lambda: MERGE.run(app, ADMIN, joint_code="ACT-PANGAN-2", activity_codes=(CHILI, BDS)),
    )


def test_the_joint_activity_itself_may_be_merged_again(app: Monev) -> None:
    MERGE.run(app, ADMIN)
    MERGE.run(app, ADMIN, joint_code="ACT-TERPADU", activity_codes=(JOINT, BDS))
    assert app.get_activity(JOINT).merged_into == "ACT-TERPADU"


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"activity_codes": (CHILI,)}, "at least two"),
        ({"activity_codes": (CHILI, " act-cabai")}, "at least two"),
        ({"activity_codes": ()}, "at least two"),
        ({"lead_opd_code": DISKOP}, "lead OPD DISKOPUKM runs none"),
        ({"lead_opd_code": "DISPERINDAG"}, "runs none"),
    ],
)
def test_a_merge_needs_two_activities_and_a_lead_opd_among_them(
    app: Monev, changes: dict[str, Any], match: str
) -> None:
    assert_refused(app, InvalidInputError, lambda: MERGE.run(app, ADMIN, **changes), match=match)


def test_a_merge_needs_activities_of_at_least_two_opds(app: Monev) -> None:
    register_food_supply(app, "ACT-CABAI-2", TANI, 10_000_000, 4)
    assert_refused(
        app,
        InvalidInputError,
        lambda: MERGE.run(app, ADMIN, activity_codes=(CHILI, "ACT-CABAI-2")),
        match="different OPDs",
    )


def test_activities_of_different_fiscal_years_are_not_merged(app: Monev) -> None:
    app.register_program(
        ADMIN, code="PRG-EKO-2018", name="Ekonomi 2018", opd_code=TERNAK, fiscal_year=2018
    )
    register_food_supply(app, "ACT-TERNAK-2018", TERNAK, 1, 8, program_code="PRG-EKO-2018")
    assert_refused(
        app,
        InvalidInputError,
        lambda: MERGE.run(app, ADMIN, activity_codes=(CHILI, "ACT-TERNAK-2018")),
        match="different fiscal years",
    )


def test_a_merge_into_a_code_already_taken_stores_nothing_and_closes_nothing(app: Monev) -> None:
    assert_refused(app, DuplicateError, lambda: MERGE.run(app, ADMIN, joint_code=BDS))
    for code in (CHILI, CATTLE):
        assert app.get_activity(code).merged_into is None
    evaluate(app, TANI_STAFF, CHILI, OPEN_QUARTER)  # still open for records
    MERGE.run(app, ADMIN)
    assert app.get_activity(CHILI).merged_into == JOINT


@pytest.mark.parametrize("opd_code", [TANI, TERNAK])
def test_staff_of_every_participating_opd_may_record_on_the_joint_activity(
    app: Monev, opd_code: str
) -> None:
    MERGE.run(app, ADMIN)
    evaluate(app, STAFF[opd_code], JOINT, OPEN_QUARTER)
    assert app.get_activity(JOINT).evaluations[OPEN_QUARTER]["physical_pct"] == 50


def test_a_joint_activity_merged_again_keeps_every_agency_that_took_part(app: Monev) -> None:
    MERGE.run(app, ADMIN)
    MERGE.run(app, ADMIN, joint_code="ACT-TERPADU", activity_codes=(JOINT, BDS))
    assert set(app.get_activity("ACT-TERPADU").participant_opds) == {DISKOP, TANI, TERNAK}
    for actor in (DISKOP_STAFF, TANI_STAFF, TERNAK_STAFF):
        evaluate(app, actor, "ACT-TERPADU", OPEN_QUARTER)


def test_staff_of_an_opd_outside_the_merge_may_not_record_on_the_joint_activity(
    app: Monev,
) -> None:
    MERGE.run(app, ADMIN)
    assert_refused(
        app,
        PermissionDeniedError,
        lambda: evaluate(app, DISKOP_STAFF, JOINT, OPEN_QUARTER),
        match="own agency",
    )


# --- quarters, evaluations and corrections ------------------------------------------------


def test_a_closed_quarter_refuses_new_evaluations(app: Monev) -> None:
    for actor in (TANI_STAFF, ADMIN):
        assert_refused(
            app,
            QuarterClosedError,
            lambda actor=actor: evaluate(app, actor, CHILI, CLOSED_QUARTER),
            match="Triwulan I 2017 is closed",
        )


def test_a_closed_quarter_refuses_changed_evaluations(app: Monev) -> None:
    assert_refused(
        app,
        QuarterClosedError,
        lambda: evaluate(app, DISKOP_STAFF, BDS, "I/2017", physical_pct=30),
        match="correction",
    )
    assert app.get_activity(BDS).evaluations[CLOSED_QUARTER]["physical_pct"] == 25


def test_an_open_quarter_accepts_a_replacement_evaluation(app: Monev) -> None:
    evaluate(app, DISKOP_STAFF, BDS, OPEN_QUARTER, physical_pct=40)
    evaluate(app, DISKOP_STAFF, BDS, OPEN_QUARTER, physical_pct=45)
    assert app.get_activity(BDS).evaluations[OPEN_QUARTER]["physical_pct"] == 45


def test_a_correction_with_a_reason_is_accepted_in_a_closed_quarter(app: Monev) -> None:
    before = app.last_position()
    COMMANDS["correct_evaluation"].run(app, DISKOP_STAFF)
    [(_, corrected)] = events_after(app, before)
    assert type(corrected).__name__ == "EvaluationCorrected"
    assert corrected.reason == "Salah ketik pada laporan triwulan I"
    assert corrected.actor == DISKOP_STAFF
    assert app.get_activity(BDS).evaluations[CLOSED_QUARTER]["physical_pct"] == 30


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_a_correction_without_a_reason_is_refused(app: Monev, reason: str) -> None:
    assert_refused(
        app,
        InvalidInputError,
        lambda: COMMANDS["correct_evaluation"].run(app, DISKOP_STAFF, reason=reason),
        match="Reason for the correction",
    )


def test_correcting_an_evaluation_never_recorded_is_refused(app: Monev) -> None:
    for quarter in (CLOSED_QUARTER, OPEN_QUARTER):
        assert_refused(
            app,
            ConflictError,
            lambda quarter=quarter: COMMANDS["correct_evaluation"].run(
                app, TANI_STAFF, activity_code=CHILI, quarter=quarter
            ),
            match="no evaluation",
        )


def test_a_correction_is_checked_like_an_evaluation(app: Monev) -> None:
    assert_refused(
        app,
        InvalidInputError,
        lambda: COMMANDS["correct_evaluation"].run(app, DISKOP_STAFF, physical_pct=101),
        match="Physical realisation",
    )


def test_a_quarter_without_a_rakor_cannot_be_closed(app: Monev) -> None:
    assert_refused(
        app, ConflictError, lambda: app.close_quarter(ADMIN, quarter="2017-Q3"), "hold the rakor"
    )
    evaluate(app, DISKOP_STAFF, BDS, "2017-Q3")  # and stays open


def test_closing_a_quarter_twice_is_refused(app: Monev) -> None:
    assert_refused(
        app, ConflictError, lambda: app.close_quarter(ADMIN, quarter=CLOSED_QUARTER), "already"
    )


def test_a_quarter_is_open_after_its_rakor_until_it_is_closed(app: Monev) -> None:
    evaluate(app, DISKOP_STAFF, BDS, OPEN_QUARTER)
    app.close_quarter(ADMIN, quarter=OPEN_QUARTER)
    assert_refused(app, QuarterClosedError, lambda: evaluate(app, DISKOP_STAFF, BDS, OPEN_QUARTER))


def test_a_rakor_before_its_quarter_began_is_refused(app: Monev) -> None:
    assert_refused(
        app,
        InvalidInputError,
        lambda: app.hold_rakor(ADMIN, quarter="2017-Q3", held_on=date(YEAR, 6, 30)),
        match="before it began",
    )


def test_a_rakor_names_registered_agencies_only(app: Monev) -> None:
    assert_refused(
        app,
        NotFoundError,
        lambda: app.hold_rakor(
            ADMIN, quarter="2017-Q3", held_on=date(YEAR, 10, 2), attending_opd_codes=["BPBD"]
        ),
    )


# --- Satrya Emas mentors -----------------------------------------------------------------


def test_a_mentor_may_serve_several_kecamatan(app: Monev) -> None:
    for kecamatan in ("Nguling", "35.14.22"):
        app.assign_mentor(
            ADMIN, mentor_code=MENTOR, kecamatan=kecamatan, from_date=date(YEAR, 2, 1)
        )
    assert set(app.get_mentor(MENTOR).assignments) == {"35.14.20", "35.14.21", "35.14.22"}


def test_a_kecamatan_may_have_several_mentors(app: Monev) -> None:
    COMMANDS["register_mentor"].run(app, ADMIN)
    app.assign_mentor(ADMIN, mentor_code="MTR-ADM", kecamatan="Grati", from_date=date(YEAR, 3, 1))
    assert "35.14.20" in app.get_mentor("MTR-ADM").assignments
    assert "35.14.20" in app.get_mentor(MENTOR).assignments


@pytest.mark.parametrize("kecamatan", ["Grati", "GRATI", "35.14.20", "3514220"])
def test_assigning_a_mentor_to_the_same_kecamatan_twice_is_refused(
    app: Monev, kecamatan: str
) -> None:
    assert_refused(
        app,
        DuplicateError,
        lambda: app.assign_mentor(
            ADMIN, mentor_code=MENTOR, kecamatan=kecamatan, from_date=date(YEAR, 5, 1)
        ),
        match="already assigned",
    )


def test_unassigning_a_mentor_who_is_not_assigned_is_refused(app: Monev) -> None:
    assert_refused(
        app,
        ConflictError,
        lambda: app.unassign_mentor(
            ADMIN, mentor_code=MENTOR, kecamatan="Nguling", to_date=date(YEAR, 6, 30)
        ),
        match="not assigned",
    )


def test_a_mentor_may_be_assigned_again_after_being_unassigned(app: Monev) -> None:
    COMMANDS["unassign_mentor"].run(app, ADMIN)
    assert_refused(app, ConflictError, lambda: COMMANDS["unassign_mentor"].run(app, ADMIN))
    app.assign_mentor(ADMIN, mentor_code=MENTOR, kecamatan="Grati", from_date=date(YEAR, 8, 1))
    assert app.get_mentor(MENTOR).assignments == {"35.14.20": date(YEAR, 8, 1)}


def test_an_assignment_cannot_end_before_it_began_nor_begin_before_registration(
    app: Monev,
) -> None:
    assert_refused(
        app,
        ConflictError,
        lambda: COMMANDS["unassign_mentor"].run(app, ADMIN, to_date=date(YEAR, 1, 8)),
    )
    assert_refused(
        app,
        ConflictError,
        lambda: COMMANDS["assign_mentor"].run(app, ADMIN, from_date=date(YEAR, 1, 1)),
    )


def test_a_mentor_s_commitment_is_evaluated_once_per_quarter(app: Monev) -> None:
    evaluation = COMMANDS["evaluate_mentor_commitment"]
    evaluation.run(app, ADMIN)
    assert_refused(app, DuplicateError, lambda: evaluation.run(app, ADMIN, quarter="I-2017"))


@pytest.mark.parametrize(
    ("field", "value"),
    [("score", 101), ("score", float("nan")), ("umkm_assisted", -3), ("reports_submitted", 1.5)],
)
def test_a_mentor_evaluation_with_impossible_numbers_is_refused(
    app: Monev, field: str, value: float
) -> None:
    assert_refused(
        app,
        InvalidInputError,
        lambda: COMMANDS["evaluate_mentor_commitment"].run(app, ADMIN, **{field: value}),
    )


# --- recommendations and follow-ups ------------------------------------------------------

FOLLOW_UP = COMMANDS["follow_up_recommendation"]


@pytest.mark.parametrize("actor", [DISKOP_STAFF, ADMIN], ids=["own-opd", "admin"])
def test_the_recommendation_s_opd_or_an_admin_records_its_follow_up(
    app: Monev, actor: Actor
) -> None:
    before = app.last_position()
    FOLLOW_UP.run(app, actor)
    [(_, followed_up)] = events_after(app, before)
    assert followed_up.actor == actor


@pytest.mark.parametrize("actor", [TANI_STAFF, TERNAK_STAFF, VIEWER])
def test_nobody_else_records_a_recommendation_s_follow_up(app: Monev, actor: Actor) -> None:
    assert_refused(app, PermissionDeniedError, lambda: FOLLOW_UP.run(app, actor))


def test_a_done_recommendation_takes_no_more_follow_ups(app: Monev) -> None:
    FOLLOW_UP.run(app, DISKOP_STAFF, is_done=True)
    assert app.get_recommendation(RECOMMENDATION).is_done
    assert_refused(
        app, ConflictError, lambda: FOLLOW_UP.run(app, DISKOP_STAFF, quarter="2017-Q3"), "done"
    )


def test_follow_ups_continue_until_one_says_done(app: Monev) -> None:
    FOLLOW_UP.run(app, DISKOP_STAFF)
    FOLLOW_UP.run(app, DISKOP_STAFF, quarter="2017-Q3", progress="Selesai", is_done=True)
    assert app.get_recommendation(RECOMMENDATION).is_done


def test_a_due_quarter_before_the_issue_quarter_is_refused(app: Monev) -> None:
    assert_refused(
        app,
        InvalidInputError,
        lambda: COMMANDS["issue_recommendation"].run(
            app, ADMIN, quarter=OPEN_QUARTER, due_quarter=CLOSED_QUARTER
        ),
        match="comes before",
    )


def test_a_follow_up_dated_before_the_recommendation_is_refused(app: Monev) -> None:
    assert_refused(
        app,
        ConflictError,
        lambda: FOLLOW_UP.run(app, DISKOP_STAFF, quarter="2016-Q4"),
        match="before recommendation",
    )


def test_a_recommendation_about_an_unregistered_activity_is_refused(app: Monev) -> None:
    assert_refused(
        app,
        NotFoundError,
        lambda: COMMANDS["issue_recommendation"].run(app, ADMIN, activity_code="ACT-NONE"),
    )


# --- roles -----------------------------------------------------------------------------------


def _ids(commands: tuple[Command, ...] | list[Command]) -> list[str]:
    return [c.name for c in commands]


ADMIN_ONLY = [c for c in NEXT_COMMANDS if c.is_admin_only]
OPD_SCOPED = [c for c in NEXT_COMMANDS if not c.is_admin_only]


@pytest.mark.parametrize("command", NEXT_COMMANDS, ids=_ids(NEXT_COMMANDS))
def test_an_admin_may_run_every_command(app: Monev, command: Command) -> None:
    before = app.last_position()
    command.run(app, ADMIN)
    assert app.last_position() > before


@pytest.mark.parametrize("command", NEXT_COMMANDS, ids=_ids(NEXT_COMMANDS))
def test_a_viewer_may_run_no_command_at_all(app: Monev, command: Command) -> None:
    assert_refused(app, PermissionDeniedError, lambda: command.run(app, VIEWER))


@pytest.mark.parametrize("command", ADMIN_ONLY, ids=_ids(ADMIN_ONLY))
def test_opd_staff_may_not_run_commands_reserved_for_division_staff(
    app: Monev, command: Command
) -> None:
    for actor in STAFF.values():
        assert_refused(
            app,
            PermissionDeniedError,
            lambda actor=actor: command.run(app, actor),
            match="Only division staff",
        )


@pytest.mark.parametrize("command", OPD_SCOPED, ids=_ids(OPD_SCOPED))
def test_opd_staff_may_run_commands_for_their_own_agency(app: Monev, command: Command) -> None:
    [owner] = command.owners
    before = app.last_position()
    command.run(app, STAFF[owner])
    assert app.last_position() > before


@pytest.mark.parametrize("command", OPD_SCOPED, ids=_ids(OPD_SCOPED))
def test_opd_staff_may_not_run_commands_for_another_agency(app: Monev, command: Command) -> None:
    others = [Actor("tamu", "opd", "DISPERINDAG")]  # an agency that is not even registered
    others += [STAFF[code] for code in OPD_CODES if code not in command.owners]
    for actor in others:
        assert_refused(
            app,
            PermissionDeniedError,
            lambda actor=actor: command.run(app, actor),
            match="only for their own agency",
        )


def test_opd_staff_may_not_register_an_activity_for_another_opd(app: Monev) -> None:
    assert_refused(
        app,
        PermissionDeniedError,
        lambda: register_bds(app, TANI_STAFF, code="ACT-BDS-03"),
        match=f"of {TANI} cannot register an activity for {DISKOP}",
    )


def test_opd_staff_may_not_evaluate_another_opd_s_activity_but_may_evaluate_their_own(
    app: Monev,
) -> None:
    assert_refused(app, PermissionDeniedError, lambda: evaluate(app, TANI_STAFF, BDS, OPEN_QUARTER))
    evaluate(app, TANI_STAFF, CHILI, OPEN_QUARTER)
    assert OPEN_QUARTER in app.get_activity(CHILI).evaluations


# --- the actor on every event ------------------------------------------------------------


def test_every_stored_event_carries_who_recorded_it(app: Monev) -> None:
    story_end = app.last_position()
    for command in NEXT_COMMANDS:
        if command.name != "close_quarter":
            actor = STAFF[command.owners[0]] if command.owners else ADMIN
            command.run(app, actor)
    stored = events_after(app, 0)
    assert len(stored) == app.last_position() > story_end
    for _, stored_event in stored:
        actor = stored_event.actor
        assert isinstance(actor, Actor)
        assert actor.user_id and actor.role in ROLES
        assert actor.opd_code is None or actor.role == "opd"
    by_activity = {
        e.originator_id: e.actor for _, e in stored if type(e).__name__ == "EvaluationRecorded"
    }
    assert by_activity[Activity.create_id(BDS)] == DISKOP_STAFF
    registered = [e for _, e in stored if type(e).__name__ == "Registered"]
    by_code = {e.code: e.actor for e in registered}
    assert by_code[CHILI] == TANI_STAFF
    assert by_code[CATTLE] == TERNAK_STAFF
    assert by_code[DISKOP] == ADMIN
    assert by_code[JOINT] == ADMIN


def test_the_actor_is_stored_as_user_role_and_agency(app: Monev) -> None:
    notifications = app.recorder.select_notifications(start=1, limit=10_000)
    topics = {n.topic for n in notifications}
    assert "monev:ActivityRegistered" in topics
    for notification in notifications:
        state = json.loads(notification.state)
        assert set(state["actor"]["_data_"]) == {"user_id", "role", "opd_code"}, notification.topic
    chili = next(
        n
        for n in notifications
        if n.topic == "monev:ActivityRegistered" and json.loads(n.state)["code"] == CHILI
    )
    assert json.loads(chili.state)["actor"]["_data_"] == {
        "user_id": "sari",
        "role": "opd",
        "opd_code": TANI,
    }


# --- references within the story ------------------------------------------------------------


def test_the_story_records_what_it_says(app: Monev) -> None:
    bds = app.get_activity(BDS)
    assert bds.problems == {PERMIT_PROBLEM}
    assert bds.kecamatan_code == "35.14.20"
    assert set(bds.evaluations) == {CLOSED_QUARTER}
    assert app.get_mentor(MENTOR).assignments == {"35.14.20": date(YEAR, 1, 9)}
    assert app.get_recommendation(RECOMMENDATION).opd_code == DISKOP
    assert {app.get_opd(code).code for code in OPD_CODES} == set(OPD_CODES)
