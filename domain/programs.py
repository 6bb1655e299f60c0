"""Programs: a program of one fiscal year and the agencies (OPD) that take part in it.

Each aggregate has a module of its own so that a command imports only the aggregates it
touches: the library's aggregate metaclass turns every event class into a dataclass when its
module is imported, which every command would otherwise pay for (``domain.topics``).
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.actors import Actor
from domain.errors import ConflictError, DuplicateError
from domain.rules import aggregate_id

PROGRAM_ROLES = ("coordinator", "member")


class Program(Aggregate):
    """A program of one fiscal year; agencies join it as coordinator or member."""

    TOPIC = "monev:Program"

    class Created(Aggregate.Created):
        TOPIC = "monev:ProgramCreated"

    class Registered(Aggregate.Created):
        TOPIC = "monev:ProgramRegistered"
        code: str
        name: str
        opd_code: str
        fiscal_year: int
        actor: Actor

    class OpdJoined(Aggregate.Event):
        TOPIC = "monev:OpdJoinedProgram"
        opd_code: str
        role: str
        actor: Actor

    @staticmethod
    def create_id(code: str) -> UUID:
        return aggregate_id("program", code)

    @event(Registered)
    def __init__(self, code: str, name: str, opd_code: str, fiscal_year: int, actor: Actor) -> None:
        self.code = code
        self.name = name
        self.opd_code = opd_code
        self.fiscal_year = fiscal_year
        self.members: dict[str, str] = {}

    def join(self, opd_code: str, role: str, actor: Actor) -> None:
        if opd_code in self.members:
            raise DuplicateError(
                "{opd_code} already takes part in program {code} as {role}.",
                opd_code=opd_code,
                code=self.code,
                role=self.members[opd_code],
            )
        if role == "coordinator":
            for member, member_role in self.members.items():
                if member_role == "coordinator":
                    raise ConflictError(
                        "Program {code} already has a coordinator: {member}.",
                        code=self.code,
                        member=member,
                    )
        self._joined(opd_code=opd_code, role=role, actor=actor)

    @event(OpdJoined)
    def _joined(self, opd_code: str, role: str, actor: Actor) -> None:
        self.members[opd_code] = role
