"""Checks on an activity's indicator targets, by indicator kind."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from domain.errors import InvalidInputError
from domain.rules import quantity

TOLERANCE = 1e-6
_TARGET_NAMES = (
    "Target of triwulan I",
    "Target of triwulan II",
    "Target of triwulan III",
    "Target of triwulan IV",
)


def check_targets(
    kind: str, annual_target: float, quarterly_targets: Sequence[float]
) -> tuple[float, tuple[float, ...]]:
    """Cumulative targets grow to the annual target by triwulan IV; incremental ones add up to it.

    Checked here so a typo in a spreadsheet is refused instead of skewing achievement for a year.
    """
    annual = quantity(annual_target, "Annual target")
    if len(quarterly_targets) != 4:
        raise InvalidInputError(
            "Give four quarterly targets (triwulan I to IV), not {count}.",
            count=len(quarterly_targets),
        )
    targets = tuple(
        quantity(t, what) for what, t in zip(_TARGET_NAMES, quarterly_targets, strict=True)
    )
    if kind == "cumulative":
        if any(b < a - TOLERANCE for a, b in pairwise(targets)):
            raise InvalidInputError(
                "Cumulative targets cannot go down from one triwulan to the next: {targets}.",
                targets=list(targets),
            )
        if abs(targets[3] - annual) > TOLERANCE * max(1.0, annual):
            raise InvalidInputError(
                "The cumulative target of triwulan IV ({last}) must equal the annual target "
                "({annual}).",
                last=targets[3],
                annual=annual,
            )
    elif abs(sum(targets) - annual) > TOLERANCE * max(1.0, annual):
        raise InvalidInputError(
            "Incremental quarterly targets add up to {total}, not the annual target {annual}.",
            total=sum(targets),
            annual=annual,
        )
    return annual, targets
