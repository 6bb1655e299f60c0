"""The event catalogue: every event class the domain stores, found from the aggregates.

The read side builds one typed table per class from this list, so a new event type needs no
hand-written DDL.
"""

from __future__ import annotations

from eventsourcing.domain import Aggregate, CanMutateAggregate

from domain.activities import Activity
from domain.agencies import Opd
from domain.problems import Problem
from domain.programs import Program
from domain.quarter_reviews import QuarterReview
from domain.recommendations import Recommendation
from domain.satrya_emas import Mentor, ServiceRegion

AGGREGATES: tuple[type[Aggregate], ...] = (
    Opd,
    Program,
    Activity,
    Problem,
    QuarterReview,
    Recommendation,
    ServiceRegion,
    Mentor,
)


def all_event_classes() -> tuple[type[Aggregate.Event], ...]:
    """Event classes in catalogue order; the unused ``Created`` placeholders are left out."""
    found: list[type[Aggregate.Event]] = []
    for aggregate in AGGREGATES:
        for name, value in vars(aggregate).items():
            if (
                isinstance(value, type)
                and issubclass(value, CanMutateAggregate)
                and name not in ("Created", "Event")
            ):
                found.append(value)  # type: ignore[arg-type]
    return tuple(found)


def event_name(event_class: type[object]) -> str:
    """The stable name of an event type: its topic without the ``monev:`` prefix."""
    topic: str = event_class.TOPIC  # type: ignore[attr-defined]
    return topic.split(":", 1)[1]
