"""Event tables come from the event classes: names, envelope, flattened actor, column types."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

import pyarrow as pa
import pytest
from eventsourcing.domain import Aggregate

from domain.events import all_event_classes
from projections.batch import PageBuilder
from projections.schema import (
    EVENTS_SCHEMA,
    UnsupportedFieldError,
    column_type,
    event_table,
    snake_case,
)


@dataclass(frozen=True)
class StandInActor:
    user_id: str
    role: str
    opd_code: str | None = None


class Sample(Aggregate):
    class Everything(Aggregate.Event):
        TOPIC = "monev-test:EverythingHappened"
        text: str
        maybe_text: str | None
        number: int
        ratio: float
        flag: bool
        day: datetime.date
        moment: datetime.datetime
        other_id: uuid.UUID
        codes: tuple[str, ...]
        targets: tuple[float, ...]
        actor: StandInActor


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ActivityRegistered", "activity_registered"),
        ("OpdJoinedProgram", "opd_joined_program"),
        ("EvaluationRecorded", "evaluation_recorded"),
        ("OPDJoined", "opd_joined"),
        ("MentorCommitmentEvaluated", "mentor_commitment_evaluated"),
    ],
)
def test_table_names_are_snake_case_of_the_event_name(name: str, expected: str) -> None:
    assert snake_case(name) == expected


def test_every_domain_event_class_has_a_table_with_a_unique_name() -> None:
    tables = [event_table(cls) for cls in all_event_classes()]
    names = [t.name for t in tables]
    assert len(names) == len(set(names))
    assert "activity_registered" in names and "evaluation_recorded" in names
    for table in tables:
        columns = [c.name for c in table.columns]
        assert columns[:4] == ["position", "aggregate_id", "aggregate_version", "recorded_at"]
        assert {"actor_user", "actor_role", "actor_opd"} <= set(columns)
        assert "originator_topic" not in columns and "actor" not in columns
        assert table.topic.startswith("monev:")


def test_field_types_map_to_duckdb_types() -> None:
    table = event_table(Sample.Everything)
    types = {c.name: (c.sql_type, c.nullable) for c in table.columns}
    assert table.name == "everything_happened"
    assert table.qualified_name == f'{EVENTS_SCHEMA}."everything_happened"'
    assert types == {
        "position": ("BIGINT", False),
        "aggregate_id": ("UUID", False),
        "aggregate_version": ("BIGINT", False),
        "recorded_at": ("TIMESTAMPTZ", False),
        "text": ("VARCHAR", False),
        "maybe_text": ("VARCHAR", True),
        "number": ("BIGINT", False),
        "ratio": ("DOUBLE", False),
        "flag": ("BOOLEAN", False),
        "day": ("DATE", False),
        "moment": ("TIMESTAMPTZ", False),
        "other_id": ("UUID", False),
        "codes": ("VARCHAR[]", False),
        "targets": ("DOUBLE[]", False),
        "actor_user": ("VARCHAR", True),
        "actor_role": ("VARCHAR", True),
        "actor_opd": ("VARCHAR", True),
    }


@pytest.mark.parametrize("hint", [dict[str, int], int | str, list[uuid.UUID], bytes])
def test_unsupported_field_types_are_refused_by_name(hint: object) -> None:
    with pytest.raises(UnsupportedFieldError):
        column_type(hint)


def test_a_changed_class_changes_the_fingerprint() -> None:
    class Before(Aggregate.Event):
        TOPIC = "monev-test:ShapeBefore"
        amount: int

    class After(Aggregate.Event):
        TOPIC = "monev-test:ShapeAfter"
        amount: float

    assert event_table(Before).fingerprint != event_table(After).fingerprint


def test_a_page_becomes_typed_arrow_columns() -> None:
    moment = datetime.datetime(2017, 7, 12, 9, 30, tzinfo=datetime.UTC)
    other = uuid.uuid4()
    event = Sample.Everything(
        originator_id=uuid.uuid4(),
        originator_version=3,
        timestamp=moment,
        text="a",
        maybe_text=None,
        number=7,
        ratio=1.5,
        flag=True,
        day=datetime.date(2017, 7, 1),
        moment=moment,
        other_id=other,
        codes=("x", "y"),
        targets=(1, 2.5),  # JSON may hand integers to a float column
        actor=StandInActor("ani", "opd", "DISKOP"),
    )
    builder = PageBuilder()
    builder.add(41, event)
    page = builder.build(after=40, last_position=45)
    assert (page.after, page.last_position, page.event_count) == (40, 45, 1)
    (spec, table), log = page.tables[0], page.log
    row = table.to_pylist()[0]
    assert row["position"] == 41
    assert row["aggregate_id"] == event.originator_id
    assert row["other_id"] == other
    assert row["targets"] == [1.0, 2.5]
    assert row["actor_opd"] == "DISKOP" and row["maybe_text"] is None
    assert table.schema.field("recorded_at").type == pa.timestamp("us", tz="UTC")
    assert log is not None
    assert log.to_pylist()[0]["event_table"] == spec.name == "everything_happened"
    assert log.to_pylist()[0]["event_type"] == "EverythingHappened"


def test_a_field_missing_from_the_stored_state_takes_the_class_default() -> None:
    class WithDefault(Aggregate.Event):
        TOPIC = "monev-test:WithDefault"
        note: str = "none given"

    event = WithDefault(originator_id=uuid.uuid4(), originator_version=1, timestamp=_now())
    del event.__dict__["note"]  # as an event stored before the field existed decodes
    builder = PageBuilder()
    builder.add(1, event)
    (_, table) = builder.build(0, 1).tables[0]
    assert table.column("note").to_pylist() == ["none given"]


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)
