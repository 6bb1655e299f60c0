"""The orjson-backed transcoder writes and reads every event exactly as the library's does."""

from __future__ import annotations

import math
from collections import OrderedDict
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder, Mapper, TranscodingNotRegisteredError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.actors import ADMIN, OPD, VIEWER, Actor
from domain.application import Monev
from domain.transcodings import OrjsonTranscoder


def transcoders() -> tuple[JSONTranscoder, OrjsonTranscoder]:
    app = Monev(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    plain = JSONTranscoder()
    app.register_transcodings(plain)
    fast = app.mapper.transcoder
    assert isinstance(fast, OrjsonTranscoder), "the application should decode with orjson"
    return plain, fast


PLAIN, FAST = transcoders()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),  # past 64 bits: orjson reads some as floats
    st.floats(allow_nan=False),  # infinities too: the stdlib writes them, orjson refuses
    st.text(),
    st.dates(),
    st.datetimes(timezones=st.just(UTC)),
    st.uuids(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.builds(
        Actor,
        st.text(min_size=1),
        st.sampled_from((ADMIN, VIEWER)),
    ),
    st.builds(Actor, st.text(min_size=1), st.just(OPD), st.text(min_size=1)),
    # Look-alikes of an encoded object that are plain data and must stay so.
    st.fixed_dictionaries({"_type_": st.text(), "_data_": st.text(), "x": st.integers()}),
    st.fixed_dictionaries({"_type_": st.text()}),
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=12,
)


# Generating nested values is slow on a busy shared machine; that is no fault of the code.
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.text(), values, max_size=8))
def test_any_event_state_decodes_as_the_library_decodes_it(state: dict[str, Any]) -> None:
    data = PLAIN.encode(state)
    assert FAST.encode(state) == data, "encoding (the stored bytes) must not change"
    assert FAST.decode(data) == PLAIN.decode(data)


def test_what_orjson_refuses_is_read_by_the_stdlib() -> None:
    state = {"nan": math.nan, "inf": math.inf, "big": 2**80, "d": date(2017, 3, 31)}
    decoded = FAST.decode(PLAIN.encode(state))
    assert math.isnan(decoded["nan"])
    assert decoded["inf"] == math.inf
    assert decoded["big"] == 2**80
    assert decoded["d"] == date(2017, 3, 31)


def test_registered_types_come_back_as_objects_at_any_depth() -> None:
    actor = Actor("opd-dinkes", OPD, "OPD01")
    moment = datetime(2017, 4, 2, 9, 30, tzinfo=UTC)
    key = UUID(int=7)
    state = {"a": [[{"who": actor}], {"when": moment}], "k": key, "m": Decimal("1.10")}
    decoded = FAST.decode(PLAIN.encode(state))
    assert decoded == {"a": [[{"who": actor}], {"when": moment}], "k": key, "m": Decimal("1.10")}
    assert isinstance(decoded["a"][0][0]["who"], Actor)


def test_an_unknown_encoded_type_is_refused_as_the_library_refuses_it() -> None:
    data = b'{"x":{"_type_":"no_such_type","_data_":1}}'
    with pytest.raises(TranscodingNotRegisteredError):
        PLAIN.decode(data)
    with pytest.raises(TranscodingNotRegisteredError):
        FAST.decode(data)


class _Colour(Enum):
    RED = "red"


class _Text(str):
    pass


@pytest.mark.parametrize(
    "value",
    [
        1e-07, 2.5e16, 5e-324, 0.0001, 9999999999999998.0, -0.0, math.nan, math.inf,
        2**64, -(2**63) - 1, "é\u2028\n\"\\\x01", _Text("sub"), (1, 2.5, "x"),
        [date(2017, 1, 2)], {"when": datetime(2017, 1, 2, tzinfo=UTC)}, {1: "int key"},
        OrderedDict(a=1), UUID(int=3), [UUID(int=4)], Decimal("1.10"), True, None,
    ],
)  # fmt: skip
def test_values_orjson_would_spell_otherwise_are_written_as_the_library_writes_them(
    value: Any,
) -> None:
    state = {"timestamp": datetime(2017, 1, 2, tzinfo=UTC), "value": value}
    assert FAST.encode(state) == PLAIN.encode(state)


def test_values_neither_encoder_writes_are_refused_by_both() -> None:
    for state in ({"colour": _Colour.RED}, {"lone": "\ud800"}):
        with pytest.raises((TypeError, ValueError)):
            PLAIN.encode(state)
        with pytest.raises((TypeError, ValueError)):
            FAST.encode(state)


def test_an_evaluation_is_encoded_without_the_stdlib(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the fast path: a command's event does not fall back."""

    def refuse(_self: JSONTranscoder, _obj: Any) -> bytes:
        raise AssertionError("the stdlib encoder was used")

    state = {
        "timestamp": datetime(2017, 4, 2, 9, 30, tzinfo=UTC),
        "quarter": "2017-Q1",
        "physical_pct": 62.5,
        "financial_rp": 125_000_000,
        "indicator_value": 10.0,
        "drivers": "Dukungan desa",
        "obstacles": "",
        "actor": Actor("opd-dinkes", OPD, "OPD01"),
    }
    expected = PLAIN.encode(state)
    monkeypatch.setattr(JSONTranscoder, "encode", refuse)
    assert FAST.encode(state) == expected


def _story_events() -> list[Any]:
    """Events of several kinds and actors, as commands make them."""
    admin, staff = Actor("rina", ADMIN), Actor("sari", OPD, "DISPERTA")
    app = Monev(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.register_opd(admin, code="DISPERTA", name="Dinas Pertanian")
    app.register_program(admin, code="PRG", name="Ekonomi", opd_code="DISPERTA", fiscal_year=2017)
    app.register_activity(
        staff, code="ACT", program_code="PRG", opd_code="DISPERTA", name="Cabai",
        pagu_rp=450_000_000, indicator_name="Pasokan", indicator_unit="ton",
        indicator_kind="incremental", annual_target=40, quarterly_targets=[10, 10, 10, 10],
    )  # fmt: skip
    twin = Actor("sari", OPD, "DISPERTA")  # equal to staff, another object
    for quarter, actor in (("2017-Q1", staff), ("2017-Q2", admin), ("2017-Q1", twin)):
        app.record_evaluation(
            actor, activity_code="ACT", quarter=quarter, physical_pct=62.5,
            financial_rp=125_000_000, indicator_value=1e-7, drivers="Dukungan désa",
        )  # fmt: skip
    app.hold_rakor(admin, quarter="2017-Q1", held_on=date(2017, 4, 2), notes="x")
    return [app.mapper.to_domain_event(s) for s in app.recorder.select_notifications(1, 100)]


def test_the_application_stores_every_event_as_the_library_s_transcoder_alone_does() -> None:
    app = Monev(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    assert type(app.mapper) is Mapper, "the library's own mapper"
    library = Mapper(PLAIN)
    events = _story_events()
    assert len(events) == 7
    for event in events:
        assert app.mapper.to_stored_event(event) == library.to_stored_event(event)


def test_an_event_with_a_class_version_is_mapped_the_library_s_way() -> None:
    class Versioned(Aggregate):
        class Named(Aggregate.Event):
            class_version = 2
            name: str

    aggregate = Versioned()
    aggregate.trigger_event(Versioned.Named, name="x")
    app = Monev(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    for event in aggregate.collect_events():
        stored = app.mapper.to_stored_event(event)
        assert stored == Mapper(PLAIN).to_stored_event(event)
    assert b'"class_version":2' in stored.state


def test_actors_are_encoded_once_and_equal_actors_alike() -> None:
    fast = OrjsonTranscoder()
    for transcoding in PLAIN.types.values():
        fast.register(transcoding)
    rina, sari = Actor("rina", ADMIN), Actor("sari", OPD, "DISPERTA")
    for actor in (rina, sari, Actor("rina", ADMIN), sari):
        assert fast.encode({"actor": actor}) == PLAIN.encode({"actor": actor})
    assert len(fast._actors) == 2  # what is remembered
    for number in range(1100):  # the memory stays bounded
        fast.encode({"actor": Actor(f"user-{number}", VIEWER)})
    assert len(fast._actors) <= 1024
