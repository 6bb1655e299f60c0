"""Quarter reviews: the rakor evaluasi triwulan of a quarter and the closing of the quarter.

Each aggregate has a module of its own so that a command imports only the aggregates it
touches: the library's aggregate metaclass turns every event class into a dataclass when its
module is imported, which every command would otherwise pay for (``domain.topics``).
"""

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
