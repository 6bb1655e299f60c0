"""`demo --scale` writes each synthetic event exactly as the application's mapper would."""

from __future__ import annotations

from unittest.mock import patch

from apps import demo_scale
from domain.activities import Activity
from domain.kecamatan import all_kecamatan


def test_the_encoded_rows_are_the_mapper_s_encoding_of_the_events() -> None:
    kecamatan = [k.code for k in all_kecamatan()]
    opds = [f"OPD{i:02d}" for i in range(demo_scale.OPD_COUNT)]
    now = demo_scale._now()
    with patch.object(demo_scale, "_now", return_value=now):
        rows = demo_scale._encode_chunk((95, 105, 50, opds, kecamatan))
    mapper = demo_scale._mapper()
    expected = [
        mapper.to_stored_event(event)
        for index in range(95, 105)
        for event in demo_scale._activity_events(index, 50, opds, kecamatan, now)
    ]
    assert len(rows) == len(expected) == 50
    for (originator_id, version, topic, state), stored in zip(rows, expected, strict=True):
        assert originator_id == stored.originator_id.hex  # type: ignore[union-attr]
        assert (version, topic, state) == (
            stored.originator_version,
            stored.topic,
            stored.state,
        )
    registered = mapper.to_domain_event(expected[0])
    assert isinstance(registered, Activity.Registered)
