"""An activity's four quarterly targets fit its indicator kind and its annual target."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInputError
from domain.targets import check_targets


def test_cumulative_targets_grow_to_the_annual_target_by_triwulan_iv() -> None:
    assert check_targets("cumulative", 400, [100, 200, 300, 400]) == (400, (100, 200, 300, 400))


def test_cumulative_targets_may_stay_level_from_one_triwulan_to_the_next() -> None:
    assert check_targets("cumulative", 10, (0, 0, 10, 10))[1] == (0, 0, 10, 10)


def test_cumulative_targets_may_not_go_down() -> None:
    with pytest.raises(InvalidInputError, match="cannot go down"):
        check_targets("cumulative", 400, (100, 200, 150, 400))


def test_cumulative_targets_must_end_at_the_annual_target() -> None:
    with pytest.raises(InvalidInputError, match=r"triwulan IV \(350\) must equal the annual"):
        check_targets("cumulative", 400, (100, 200, 300, 350))


def test_incremental_targets_add_up_to_the_annual_target() -> None:
    assert check_targets("incremental", 40, (10, 10, 10, 10)) == (40, (10, 10, 10, 10))
    assert check_targets("incremental", 120, (0, 40, 40, 40))[1] == (0, 40, 40, 40)


def test_incremental_targets_that_do_not_add_up_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="add up to 350, not the annual target 400"):
        check_targets("incremental", 400, (100, 100, 100, 50))


def test_incremental_targets_may_go_down_from_one_triwulan_to_the_next() -> None:
    check_targets("incremental", 100, (40, 30, 20, 10))


@pytest.mark.parametrize("kind", ["cumulative", "incremental"])
@pytest.mark.parametrize("targets", [(), (400,), (100, 300), (100, 100, 200), (100,) * 5])
def test_there_are_exactly_four_quarterly_targets(kind: str, targets: tuple[float, ...]) -> None:
    with pytest.raises(InvalidInputError, match=f"four quarterly targets .* not {len(targets)}"):
        check_targets(kind, 400, targets)


@pytest.mark.parametrize("kind", ["cumulative", "incremental"])
def test_negative_or_non_finite_targets_are_refused(kind: str) -> None:
    with pytest.raises(InvalidInputError, match="Annual target cannot be negative"):
        check_targets(kind, -4, (-1, -1, -1, -1))
    with pytest.raises(InvalidInputError, match="Target of triwulan II"):
        check_targets(kind, 4, (1, -1, 2, 4))
    with pytest.raises(InvalidInputError, match="Target of triwulan III must be a number"):
        check_targets(kind, 4, (1, 2, math.nan, 4))
    with pytest.raises(InvalidInputError, match="Annual target must be a number"):
        check_targets(kind, math.inf, (1, 2, 3, math.inf))


def test_float_noise_in_targets_is_forgiven() -> None:
    check_targets("incremental", 0.3, (0.1, 0.1, 0.1, 0.0))
    check_targets("cumulative", 1.0, (0.1 + 0.2, 0.3, 0.7, 1.0))


def test_targets_are_returned_as_floats_in_a_tuple() -> None:
    annual, targets = check_targets("incremental", "8", ["2", 2, 2.0, 2])  # type: ignore[arg-type, list-item]
    assert (annual, targets) == (8.0, (2.0, 2.0, 2.0, 2.0))
    assert all(isinstance(t, float) for t in targets)


sizes = st.floats(min_value=0, max_value=1e9, allow_nan=False)


@given(st.lists(sizes, min_size=4, max_size=4))
def test_any_four_increments_give_cumulative_targets_ending_at_their_sum(
    increments: list[float],
) -> None:
    running = [math.fsum(increments[: i + 1]) for i in range(4)]
    check_targets("incremental", math.fsum(increments), increments)
    check_targets("cumulative", running[3], running)


@given(st.lists(sizes, min_size=4, max_size=4), st.floats(min_value=1, max_value=1e6))
def test_incremental_targets_off_by_more_than_the_tolerance_are_refused(
    targets: list[float], error: float
) -> None:
    annual = math.fsum(targets) + error * max(1.0, math.fsum(targets)) * 1e-3
    with pytest.raises(InvalidInputError):
        check_targets("incremental", annual, targets)
