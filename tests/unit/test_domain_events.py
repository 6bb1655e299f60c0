"""The event catalogue: stable explicit names, and every event says who recorded it."""

from __future__ import annotations

import dataclasses

import pytest

from domain.actors import Actor
from domain.events import AGGREGATES, all_event_classes, event_name

EVENTS = all_event_classes()
NAMED_BY_THE_DESIGN_CARD = {
    "ProgramRegistered",
    "ActivitiesMerged",
    "EvaluationRecorded",
    "MentorAssigned",
}
CATALOGUE = {
    "OpdRegistered",
    "OpdJoinedProgram",
    "ProgramRegistered",
    "ActivityRegistered",
    "ActivityTargetsRevised",
    "ProblemIdentified",
    "ActivityMappedToProblem",
    "ActivitiesMerged",
    "ActivityMergedInto",
    "RakorHeld",
    "EvaluationRecorded",
    "EvaluationCorrected",
    "RecommendationIssued",
    "RecommendationFollowedUp",
    "QuarterClosed",
    "ServiceRegionDefined",
    "MentorRegistered",
    "MentorAssigned",
    "MentorUnassigned",
    "MentorCommitmentEvaluated",
}


def _name(event_class: type) -> str:
    return event_class.__qualname__


def fields_of(event_class: type) -> dict[str, object]:
    """The event's stored attributes and their declared types."""
    return {field.name: field.type for field in dataclasses.fields(event_class)}


def test_the_catalogue_holds_the_events_of_the_brief() -> None:
    names = {event_name(e) for e in EVENTS}
    assert names == CATALOGUE
    assert names >= NAMED_BY_THE_DESIGN_CARD


def test_event_names_are_unique_explicit_topics() -> None:
    topics = [e.TOPIC for e in EVENTS]  # type: ignore[attr-defined]
    assert len(topics) == len(set(topics))
    assert all(topic.startswith("monev:") for topic in topics)


def test_aggregates_have_explicit_topics_too() -> None:
    """Explicit topics let classes move or be renamed without breaking stored events."""
    for aggregate in AGGREGATES:
        assert vars(aggregate).get("TOPIC", "").startswith("monev:"), aggregate.__name__


@pytest.mark.parametrize("event_class", EVENTS, ids=_name)
def test_every_event_carries_the_actor_who_recorded_it(event_class: type) -> None:
    assert fields_of(event_class).get("actor") in ("Actor", Actor)


@pytest.mark.parametrize(
    "event_class",
    [e for e in EVENTS if event_name(e) in {"EvaluationCorrected", "ActivityTargetsRevised"}],
    ids=_name,
)
def test_changes_to_what_was_recorded_carry_their_reason(event_class: type) -> None:
    assert fields_of(event_class).get("reason") in ("str", str)
