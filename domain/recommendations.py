"""Recommendations: what a rakor asks of one OPD, and its follow-ups (tindak lanjut).

Each aggregate has a module of its own so that a command imports only the aggregates it
touches: the library's aggregate metaclass turns every event class into a dataclass when its
module is imported, which every command would otherwise pay for (``domain.topics``).
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.actors import Actor
from domain.errors import ConflictError
from domain.quarters import Quarter
from domain.rules import aggregate_id


class Recommendation(Aggregate):
    """A recommendation of a rakor to one OPD, to be followed up by its due quarter."""

    TOPIC = "monev:Recommendation"

    class Created(Aggregate.Created):
        TOPIC = "monev:RecommendationCreated"

    class Issued(Aggregate.Created):
        TOPIC = "monev:RecommendationIssued"
        code: str
        quarter: str
        opd_code: str
        text: str
        due_quarter: str
        activity_code: str | None
        problem_code: str | None
        actor: Actor

    class FollowedUp(Aggregate.Event):
        TOPIC = "monev:RecommendationFollowedUp"
        quarter: str
        progress: str
        is_done: bool
        actor: Actor

    @staticmethod
    def create_id(code: str) -> UUID:
        return aggregate_id("recommendation", code)

    @event(Issued)
    def __init__(
        self,
        code: str,
        quarter: str,
        opd_code: str,
        text: str,
        due_quarter: str,
        activity_code: str | None,
        problem_code: str | None,
        actor: Actor,
    ) -> None:
        self.code = code
        self.quarter = quarter
        self.opd_code = opd_code
        self.text = text
        self.due_quarter = due_quarter
        self.activity_code = activity_code
        self.problem_code = problem_code
        self.is_done = False

    def follow_up(self, quarter: Quarter, progress: str, is_done: bool, actor: Actor) -> None:
        if self.is_done:
            raise ConflictError(
                "Recommendation {code} is already done; it takes no more follow-ups.",
                code=self.code,
            )
        if quarter < Quarter.parse(self.quarter):
            raise ConflictError(
                "A follow-up in {quarter} would come before recommendation {code} was issued in "
                "{issued}.",
                quarter=quarter.label,
                code=self.code,
                issued=Quarter.parse(self.quarter).label,
            )
        self._followed_up(quarter=quarter.code, progress=progress, is_done=is_done, actor=actor)

    @event(FollowedUp)
    def _followed_up(self, quarter: str, progress: str, is_done: bool, actor: Actor) -> None:
        self.is_done = is_done
