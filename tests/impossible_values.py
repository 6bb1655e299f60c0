"""Hostile numbers and texts, and the check that none of the impossible reached the store.

Shared by the property tests of the CLI and the import (tests/integration) and of the
dashboard's Input form (tests/e2e).
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from hypothesis import strategies as st

from domain.application import Monev
from domain.records import read_records

PAGU = 15_000_000

numbers = st.one_of(
    st.sampled_from(
        [
            "1e308",
            "inf",
            "-inf",
            "nan",
            "NaN",
            "1e9",
            "1E3",
            "99999999999999999999999999",
            "0x10",
            "",
            " ",
            "-5",
            "1.000.000.000.000",
            "15.000.001",
            "7.500.000",
            "50",
            "60,5",
            "100",
            "400",
            "4001",
            "1,5e3",
            "Rp 1.000",
            "1_000",
        ]
    ),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(0, PAGU).map(lambda n: f"{n:,}".replace(",", ".")),
    st.text(alphabet="0123456789.,eE+- Rp", max_size=16),
)
texts = st.one_of(
    st.sampled_from(["Dinas\nBaru", "Dinas\tBaru", "\x00", "\u00a0", "\u200b", "\x1b[31m", "ok"]),
    st.text(max_size=24),
)


def stored_events(app: Monev, after: int) -> list[Any]:
    notifications = app.recorder.select_notifications(after, 100_000, inclusive_of_start=False)
    return [app.mapper.to_domain_event(n) for n in notifications]


def assert_nothing_impossible(app: Monev, after: int) -> None:
    """No non-finite number and no control character in any event stored after ``after``, and
    no activity realised above its pagu."""
    for event in stored_events(app, after):
        for name, value in vars(event).items():
            if isinstance(value, float):
                assert math.isfinite(value), (type(event).__name__, name, value)
            if isinstance(value, str):
                assert not any(unicodedata.category(c) == "Cc" for c in value), (name, value)
    for activity in read_records(app).activities.values():
        assert activity.financial_realised_rp <= activity.pagu_rp, activity.code
