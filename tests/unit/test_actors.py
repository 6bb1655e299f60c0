"""Who may do what: division staff everything, OPD staff their own agency, viewers nothing."""

from __future__ import annotations

import pytest

from domain.actors import ADMIN, OPD, ROLES, VIEWER, Actor
from domain.errors import InvalidInputError, PermissionDeniedError
from domain.transcodings import ActorAsDict

ADMIN_USER = Actor("rina", ADMIN)
DISKOP_STAFF = Actor("budi", OPD, "DISKOPUKM")
LEADER = Actor("bupati", VIEWER)


def test_the_roles_are_admin_opd_and_viewer() -> None:
    assert ROLES == ("admin", "opd", "viewer")


@pytest.mark.parametrize("role", ["root", "Admin", "", "staff"])
def test_an_unknown_role_is_refused(role: str) -> None:
    with pytest.raises(InvalidInputError, match="unknown"):
        Actor("x", role)


@pytest.mark.parametrize("opd_code", [None, ""])
def test_opd_staff_must_belong_to_an_agency(opd_code: str | None) -> None:
    with pytest.raises(InvalidInputError, match="no agency"):
        Actor("budi", OPD, opd_code)


def test_an_admin_acts_for_every_agency() -> None:
    ADMIN_USER.check_can_record()
    ADMIN_USER.check_admin("close a quarter")
    ADMIN_USER.check_acts_for("DISPERTA", "record an evaluation")
    ADMIN_USER.check_acts_for(("DISPERTA", "DISNAK"), "record an evaluation")


def test_opd_staff_act_for_their_own_agency() -> None:
    DISKOP_STAFF.check_can_record()
    DISKOP_STAFF.check_acts_for("DISKOPUKM", "record an evaluation")


def test_opd_staff_act_for_a_joint_activity_their_agency_takes_part_in() -> None:
    DISKOP_STAFF.check_acts_for(("DISPERTA", "DISKOPUKM"), "record an evaluation")


def test_opd_staff_do_not_act_for_another_agency() -> None:
    with pytest.raises(PermissionDeniedError) as refused:
        DISKOP_STAFF.check_acts_for(("DISPERTA", "DISNAK"), "record an evaluation")
    message = str(refused.value)
    assert "budi" in message and "DISKOPUKM" in message and "DISPERTA, DISNAK" in message
    assert "only for their own agency" in message


def test_opd_staff_may_not_do_what_is_reserved_for_division_staff() -> None:
    with pytest.raises(PermissionDeniedError, match=r"Only division staff \(admin\) can close"):
        DISKOP_STAFF.check_admin("close a quarter")


@pytest.mark.parametrize("viewer", [LEADER, Actor("analis", VIEWER, "DISKOPUKM")])
def test_a_viewer_can_record_nothing_not_even_for_their_own_agency(viewer: Actor) -> None:
    with pytest.raises(PermissionDeniedError, match="viewer"):
        viewer.check_can_record()
    with pytest.raises(PermissionDeniedError):
        viewer.check_acts_for("DISKOPUKM", "record an evaluation")
    with pytest.raises(PermissionDeniedError):
        viewer.check_admin("register an OPD")


def test_only_the_admin_role_is_admin() -> None:
    assert ADMIN_USER.is_admin
    assert not DISKOP_STAFF.is_admin
    assert not LEADER.is_admin


@pytest.mark.parametrize("actor", [ADMIN_USER, DISKOP_STAFF, LEADER])
def test_an_actor_is_stored_as_user_role_and_agency_and_read_back_unchanged(actor: Actor) -> None:
    transcoding = ActorAsDict()
    data = transcoding.encode(actor)
    assert data == {"user_id": actor.user_id, "role": actor.role, "opd_code": actor.opd_code}
    assert transcoding.decode(data) == actor


def test_actors_are_values() -> None:
    assert Actor("budi", OPD, "DISKOPUKM") == DISKOP_STAFF
    assert hash(Actor("budi", OPD, "DISKOPUKM")) == hash(DISKOP_STAFF)
    with pytest.raises(AttributeError):
        DISKOP_STAFF.role = ADMIN  # type: ignore[misc]
