"""Authorisation before lookup, and program membership, on the in-memory store.

A refusal must not tell an unauthorised actor whether a code exists; an activity belongs to an
agency that takes part in its program.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from domain_story import (
    ADMIN,
    BDS,
    DISKOP,
    PROGRAM,
    RECOMMENDATION,
    TANI_STAFF,
    VIEWER,
    build_story,
    open_application,
    register_food_supply,
)

from domain.actors import Actor
from domain.application import Monev
from domain.errors import ConflictError, MonevError, NotFoundError, PermissionDeniedError


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Monev:
    application = open_application("memory", tmp_path_factory.mktemp("authz"))
    build_story(application)
    return application


def refusal(app: Monev, call: Callable[[], object]) -> MonevError:
    before = app.last_position()
    with pytest.raises(MonevError) as refused:
        call()
    assert app.last_position() == before, "a refused command stores nothing"
    return refused.value


def evaluate(app: Monev, actor: Actor, code: str) -> Callable[[], object]:
    return lambda: app.record_evaluation(
        actor,
        activity_code=code,
        quarter="2017-Q2",
        physical_pct=10,
        financial_rp=1,
        indicator_value=1,
    )


def test_a_viewer_probing_an_unknown_and_a_known_code_gets_the_same_refusal(app: Monev) -> None:
    known = refusal(app, evaluate(app, VIEWER, BDS))
    unknown = refusal(app, evaluate(app, VIEWER, "ACT-NO-SUCH"))
    assert type(known) is type(unknown) is PermissionDeniedError
    assert str(known) == str(unknown)

    def follow_up(code: str) -> Callable[[], object]:
        return lambda: app.follow_up_recommendation(
            VIEWER, code=code, quarter="2017-Q2", progress="Sudah"
        )

    assert str(refusal(app, follow_up(RECOMMENDATION))) == str(
        refusal(app, follow_up("REK-NO-SUCH"))
    )


def test_opd_staff_cannot_tell_another_agencys_activity_from_an_unknown_one(app: Monev) -> None:
    foreign = refusal(app, evaluate(app, TANI_STAFF, BDS))
    unknown = refusal(app, evaluate(app, TANI_STAFF, "ACT-NO-SUCH"))
    assert isinstance(foreign, PermissionDeniedError)
    assert isinstance(unknown, PermissionDeniedError)
    assert str(foreign).replace(BDS, "X") == str(unknown).replace("ACT-NO-SUCH", "X")
    assert DISKOP not in str(foreign), "the refusal does not name the owner"


def test_division_staff_still_learn_that_a_code_is_unknown(app: Monev) -> None:
    assert isinstance(refusal(app, evaluate(app, ADMIN, "ACT-NO-SUCH")), NotFoundError)


def test_opd_staff_naming_another_agency_are_refused_before_it_is_looked_up(app: Monev) -> None:
    def program(opd: str) -> Callable[[], object]:
        return lambda: app.register_program(
            TANI_STAFF, code="PRG-X", name="X", opd_code=opd, fiscal_year=2017
        )

    assert str(refusal(app, program(DISKOP))).replace(DISKOP, "X") == str(
        refusal(app, program("NO-SUCH-OPD"))
    ).replace("NO-SUCH-OPD", "X")


def test_registering_an_activity_for_a_non_member_opd_is_refused(tmp_path: Path) -> None:
    app = open_application("memory", tmp_path)
    app.register_opd(ADMIN, code=DISKOP, name="Dinas Koperasi")
    app.register_opd(ADMIN, code="DISPERTA", name="Dinas Pertanian")
    app.register_program(ADMIN, code=PROGRAM, name="Ekonomi", opd_code=DISKOP, fiscal_year=2017)
    refused = refusal(
        app, lambda: register_food_supply(app, "ACT-CABAI", "DISPERTA", 1_000_000, 40)
    )
    assert isinstance(refused, ConflictError)
    assert "does not take part in program" in str(refused)
    app.join_program(ADMIN, program_code=PROGRAM, opd_code="DISPERTA", role="member")
    register_food_supply(app, "ACT-CABAI", "DISPERTA", 1_000_000, 40)
    assert app.get_activity("ACT-CABAI").opd_code == "DISPERTA"
