"""Quarterly evaluation: the rakor, the closing of a quarter, recommendations and follow-ups."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.actors import Actor
from domain.errors import ConflictError, QuarterClosedError
from domain.quarters import Quarter
from domain.rules import aggregate_id


class QuarterReview(Aggregate):
    """The rakor evaluasi triwulan of one quarter, and whether the quarter is closed.

    It exists from the rakor on; a quarter without a review is open.
    """

    TOPIC = "monev:QuarterReview"

    class Created(Aggregate.Created):
        TOPIC = "monev:QuarterReviewCreated"

    class RakorHeld(Aggregate.Created):
        TOPIC = "monev:RakorHeld"
        quarter: str
        held_on: date
        attending_opd_codes: tuple[str, ...]
        notes: str
        actor: Actor

    class Closed(Aggregate.Event):
        TOPIC = "monev:QuarterClosed"
        quarter: str
        actor: Actor

    @staticmethod
    def create_id(quarter: str) -> UUID:
        return aggregate_id("quarter", quarter)

    @event(RakorHeld)
    def __init__(
        self,
        quarter: str,
        held_on: date,
        attending_opd_codes: tuple[str, ...],
        notes: str,
        actor: Actor,
    ) -> None:
        self.quarter = quarter
        self.held_on = held_on
        self.attending_opd_codes = tuple(attending_opd_codes)
        self.is_closed = False

    def check_open(self) -> None:
        if self.is_closed:
            label = Quarter.parse(self.quarter).label
            raise QuarterClosedError(
                "{label} is closed after its rakor: its evaluations cannot be added or changed; "
                "record a correction with a reason instead.",
                label=label,
            )

    def close(self, actor: Actor) -> None:
        if self.is_closed:
            raise ConflictError(
                "{quarter} is already closed.",
                quarter=Quarter.parse(self.quarter).label,
            )
        self._mark_closed(quarter=self.quarter, actor=actor)

    @event(Closed)
    def _mark_closed(self, quarter: str, actor: Actor) -> None:
        self.is_closed = True


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
