"""Checks on an activity's indicator targets, by indicator kind."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from domain.errors import InvalidInputError
from domain.rules import non_negative

TOLERANCE = 1e-6


def check_targets(
    kind: str, annual_target: float, quarterly_targets: Sequence[float]
) -> tuple[float, tuple[float, ...]]:
    """Cumulative targets grow to the annual target by triwulan IV; incremental ones add up to it.

    Checked here so a typo in a spreadsheet is refused instead of skewing achievement for a year.
    """
    annual = non_negative(annual_target, "Annual target")
    targets = tuple(
        non_negative(t, f"Target of triwulan {i + 1}") for i, t in enumerate(quarterly_targets)
    )
    if len(targets) != 4:
        msg = f"Give four quarterly targets (triwulan I to IV), not {len(targets)}."
        raise InvalidInputError(msg)
    if kind == "cumulative":
        if any(b < a - TOLERANCE for a, b in pairwise(targets)):
            msg = (
                f"Cumulative targets cannot go down from one triwulan to the next: {list(targets)}."
            )
            raise InvalidInputError(msg)
        if abs(targets[3] - annual) > TOLERANCE * max(1.0, annual):
            msg = (
                f"The cumulative target of triwulan IV ({targets[3]:g}) must equal the annual "
                f"target ({annual:g})."
            )
            raise InvalidInputError(msg)
    elif abs(sum(targets) - annual) > TOLERANCE * max(1.0, annual):
        msg = (
            f"Incremental quarterly targets add up to {sum(targets):g}, not the annual target "
            f"{annual:g}."
        )
        raise InvalidInputError(msg)
    return annual, targets
