"""Authorisation before lookup, and who may register activities in a program.

Each command calls one of these at its top, before it reads any record the actor names, so a
refusal never tells an unauthorised actor whether a code exists: a viewer probing an unknown
and a known activity gets the same sentence, and so does OPD staff probing another agency's
activity. Kept as small functions apart from ``application.py`` so each command needs one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from domain.actors import Actor
from domain.errors import ConflictError, NotFoundError, PermissionDeniedError
from domain.rules import normalise_code

T = TypeVar("T")


def require_recorder(actor: Actor) -> None:
    """Viewers record nothing: refused before anything is looked up."""
    actor.check_can_record()


def require_agency(actor: Actor, opd_code: str, what: str) -> str:
    """The normalised agency code, once the actor may act for it; checked before any lookup."""
    code = normalise_code(opd_code, "OPD")
    actor.check_acts_for(code, what)
    return code


def require_own_record(
    actor: Actor,
    lookup: Callable[[], T],
    owners: Callable[[T], tuple[str, ...]],
    what: str,
    record: str,
) -> T:
    """The record an OPD user acts on, refused alike whether it is unknown or another agency's.

    Viewers are refused before the lookup. OPD staff get one sentence for "not registered" and
    "not yours", so the refusal reveals neither existence nor owner; division staff, who may
    read every record anyway, get the plain "not registered".
    """
    actor.check_can_record()
    if actor.is_admin:
        return lookup()
    try:
        found = lookup()
    except NotFoundError:
        raise _not_own(actor, what, record) from None
    if actor.opd_code not in owners(found):
        raise _not_own(actor, what, record)
    return found


def _not_own(actor: Actor, what: str, record: str) -> PermissionDeniedError:
    return PermissionDeniedError(
        "User '{user_id}' of {opd_code} cannot {what} for {record}: it is not one of that "
        "agency's records, and OPD staff act only for their own agency.",
        user_id=actor.user_id,
        opd_code=actor.opd_code,
        what=what,
        record=record,
    )


def require_program_participant(
    program_code: str, lead_opd: str, members: dict[str, str], opd_code: str
) -> None:
    """An activity belongs to an OPD that takes part in its program: its lead, or an OPD that
    joined it as coordinator or member (``monev program join``)."""
    if opd_code == lead_opd or opd_code in members:
        return
    raise ConflictError(
        "{opd_code} does not take part in program {program_code}: division staff must add it as "
        "coordinator or member (join the program) before it registers an activity there.",
        opd_code=opd_code,
        program_code=program_code,
    )
