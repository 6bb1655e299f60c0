"""Quarters (triwulan I to IV of a fiscal year): the spellings people type, and the ones refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInputError
from domain.quarters import Quarter, quarter_code


@pytest.mark.parametrize(
    "text",
    [
        "2017-Q2",
        "2017Q2",
        "2017 q2",
        "2017/TW2",
        "2017-T2",
        "Q2-2017",
        "tw2 2017",
        "II/2017",
        "II 2017",
        "ii-2017",
        "Triwulan II 2017",
        "triwulan ii 2017",
        "2017-II",
        "2017/ii",
        "  2017-Q2\n",
    ],
)
def test_a_quarter_may_be_written_in_the_usual_ways(text: str) -> None:
    assert Quarter.parse(text) == Quarter(2017, 2)
    assert quarter_code(text) == "2017-Q2"


@pytest.mark.parametrize(
    "text",
    [
        "2017-Q0",
        "2017-Q5",
        "2017-V",
        "V 2017",
        "IIII 2017",
        "Triwulan V 2017",
        "2017",
        "Q2",
        "II",
        "17-Q2",
        "2017-Q2-2018",
        "1999-Q4",
        "2101-Q1",
        "Triwulan dua 2017",
        "",
        "   ",
    ],
)
def test_anything_but_triwulan_i_to_iv_of_a_plausible_year_is_refused(text: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        Quarter.parse(text)
    assert str(refused.value)


@pytest.mark.parametrize(("year", "number"), [(2017, 0), (2017, 5), (2017, -1), (1999, 1)])
def test_a_quarter_cannot_be_built_outside_i_to_iv_or_2000_to_2100(year: int, number: int) -> None:
    with pytest.raises(InvalidInputError, match=r"Triwulan|Fiscal year"):
        Quarter(year, number)


def test_a_quarter_is_stored_as_a_sortable_code_and_shown_as_triwulan() -> None:
    quarter = Quarter(2017, 4)
    assert (quarter.code, str(quarter)) == ("2017-Q4", "2017-Q4")
    assert quarter.label == "Triwulan IV 2017"
    assert quarter.label_en == "Quarter IV 2017"


def test_a_parsed_quarter_is_returned_as_it_is() -> None:
    quarter = Quarter(2017, 1)
    assert Quarter.parse(quarter) is quarter


def test_quarters_step_across_the_turn_of_the_year() -> None:
    assert Quarter(2017, 4).next() == Quarter(2018, 1)
    assert Quarter(2018, 1).previous() == Quarter(2017, 4)
    assert Quarter(2017, 2).next() == Quarter(2017, 3)


def test_quarters_order_by_year_then_triwulan() -> None:
    assert Quarter(2016, 4) < Quarter(2017, 1) < Quarter(2017, 2)
    assert sorted(["2017-Q3", "2016-Q4", "2017-Q1"], key=Quarter.parse)[0] == "2016-Q4"


quarters = st.builds(Quarter, st.integers(2000, 2100), st.integers(1, 4))


@given(quarters)
def test_every_quarter_survives_its_code_and_its_label(quarter: Quarter) -> None:
    assert Quarter.parse(quarter.code) == quarter
    assert Quarter.parse(quarter.label) == quarter


@given(quarters)
def test_next_and_previous_undo_each_other(quarter: Quarter) -> None:
    if quarter != Quarter(2100, 4):
        assert quarter.next().previous() == quarter
    if quarter != Quarter(2000, 1):
        assert quarter.previous().next() == quarter
        assert quarter.previous() < quarter


@given(st.text(max_size=20))
def test_any_text_is_either_a_quarter_or_refused_with_a_message(text: str) -> None:
    try:
        quarter = Quarter.parse(text)
    except InvalidInputError as refused:
        assert "not a quarter" in str(refused) or "outside 2000 to 2100" in str(refused)
    else:
        assert 1 <= quarter.number <= 4
        assert 2000 <= quarter.year <= 2100
