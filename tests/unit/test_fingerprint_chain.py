"""The hash chain's definition and the as-of cut-off's reading, without a store."""

from __future__ import annotations

import hashlib
import struct
from datetime import datetime
from uuid import UUID

import pytest

from eventstore.fingerprint import GENESIS, Chain, canonical_bytes, step
from projections.as_of import JAKARTA, AsOfError, parse

AGGREGATE = UUID("12345678-1234-5678-1234-567812345678")


def test_the_canonical_form_is_the_documented_header_then_topic_then_state() -> None:
    encoded = canonical_bytes(7, AGGREGATE, 3, "monev.Rakor.Held", b'{"q":"2017-Q2"}')
    header = struct.pack(">Q16sQIQ", 7, AGGREGATE.bytes, 3, 16, 15)
    assert encoded == header + b"monev.Rakor.Held" + b'{"q":"2017-Q2"}'
    # The text form of the id gives the same bytes as the UUID.
    assert canonical_bytes(7, str(AGGREGATE), 3, "monev.Rakor.Held", b'{"q":"2017-Q2"}') == encoded


def test_each_head_hashes_the_previous_head_and_the_event() -> None:
    chain = Chain()
    assert chain.hex == "0" * 64
    first = chain.add(1, AGGREGATE, 1, "t", b"a")
    second = chain.add(2, AGGREGATE, 2, "t", b"b")
    assert first == hashlib.sha256(GENESIS + canonical_bytes(1, AGGREGATE, 1, "t", b"a")).digest()
    assert second == step(first, canonical_bytes(2, AGGREGATE, 2, "t", b"b"))
    assert (chain.position, chain.count, chain.hex) == (2, 2, second.hex())


def test_moving_bytes_between_topic_and_state_changes_the_fingerprint() -> None:
    assert canonical_bytes(1, AGGREGATE, 1, "ab", b"c") != canonical_bytes(
        1, AGGREGATE, 1, "a", b"bc"
    )


def test_the_chain_refuses_events_out_of_order() -> None:
    chain = Chain()
    chain.add(5, AGGREGATE, 1, "t", b"")
    with pytest.raises(ValueError, match="out of order"):
        chain.add(5, AGGREGATE, 2, "t", b"")


def test_a_rakor_and_a_position_are_cut_offs() -> None:
    assert parse("rakor:2017-q2").label == "rakor:2017-Q2"
    assert parse("position:1,234").position == 1234


def test_a_time_without_zone_is_read_as_jakarta_time_and_says_so() -> None:
    request = parse("2017-07-12T10:00")
    assert request.assumed_zone
    assert request.moment == datetime(2017, 7, 12, 10, 0, tzinfo=JAKARTA)
    zoned = parse("2017-07-12T10:00+00:00")
    assert not zoned.assumed_zone


def test_a_date_means_the_end_of_that_day_in_jakarta() -> None:
    moment = parse("2017-07-12").moment
    assert moment is not None
    assert (moment.hour, moment.minute, moment.tzinfo) == (23, 59, JAKARTA)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rakor:Q5", "not a quarter"),
        ("position:abc", "not a position"),
        ("position:0", "before the first event"),
        ("kemarin", "not a cut-off"),
    ],
)
def test_an_unreadable_cut_off_is_refused_in_plain_words(text: str, message: str) -> None:
    with pytest.raises(AsOfError, match=message):
        parse(text)
