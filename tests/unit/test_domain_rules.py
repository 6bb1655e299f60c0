"""The small value rules every command applies: codes, numbers, money, texts and kecamatan."""

from __future__ import annotations

import math
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInputError
from domain.kecamatan import all_kecamatan, kecamatan_name, resolve_kecamatan
from domain.rules import (
    aggregate_id,
    count,
    finite_number,
    non_negative,
    normalise_code,
    one_of,
    optional_text,
    percentage,
    required_text,
    rupiah,
)

NOT_NUMBERS = [math.nan, math.inf, -math.inf, "lots", "", None, "1,5", 10**400, -(10**400)]

# --- codes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("DISKOPUKM", "DISKOPUKM"),
        (" diskopukm ", "DISKOPUKM"),
        ("act-bds\t", "ACT-BDS"),
        ("Rek/2017.I_01", "REK/2017.I_01"),
        ("1", "1"),
        ("X" * 40, "X" * 40),
    ],
)
def test_codes_are_trimmed_and_upper_cased(typed: str, code: str) -> None:
    assert normalise_code(typed, "OPD") == code


@pytest.mark.parametrize(
    "typed", ["", "   ", "-ACT", ".ACT", "ACT BDS", "ACT#1", "ÄCT", "X" * 41, "ACT\nBDS", "A,B"]
)
def test_a_code_with_spaces_symbols_or_too_many_characters_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInputError, match=r"(?s)Activity code .* is not valid"):
        normalise_code(typed, "Activity")


def test_case_and_spacing_variants_of_a_code_give_the_same_aggregate_id() -> None:
    variants = {
        aggregate_id("opd", normalise_code(v, "OPD")) for v in ("DISNAK", " disnak", "Disnak")
    }
    assert len(variants) == 1


def test_aggregate_ids_are_derived_from_kind_and_code_and_never_change() -> None:
    assert aggregate_id("opd", "DISKOPUKM") == UUID("7af1bf27-85e3-5da1-8ee5-9afdcf39cfcc")
    assert aggregate_id("opd", "DISKOPUKM") == aggregate_id("opd", "DISKOPUKM")
    assert aggregate_id("opd", "X") != aggregate_id("program", "X")
    assert aggregate_id("opd", "X") != aggregate_id("opd", "Y")


@given(st.from_regex(r"[A-Z0-9][A-Z0-9._/-]{0,39}", fullmatch=True))
def test_every_well_formed_code_is_kept_as_it_is(code: str) -> None:
    assert normalise_code(code, "Code") == code
    assert normalise_code(f"  {code.lower()} ", "Code") == code


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_not_a_number_infinity_and_text_are_refused_as_numbers(value: object) -> None:
    with pytest.raises(InvalidInputError, match="Indicator"):
        finite_number(value, "Indicator")  # type: ignore[arg-type]


def test_an_integer_too_long_to_print_is_refused_without_quoting_it() -> None:
    with pytest.raises(InvalidInputError, match="Indicator is far too large"):
        finite_number(10**5000, "Indicator")


@pytest.mark.parametrize("value", [0, 1.5, "2.5", -3, 10**20])
def test_finite_numbers_and_numeric_text_are_accepted(value: object) -> None:
    assert finite_number(value, "Indicator") == float(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [0, 0.0, 12.5, 100, 100.0, "55"])
def test_a_percentage_from_0_to_100_is_accepted(value: float) -> None:
    assert percentage(value, "Physical realisation") == float(value)


@pytest.mark.parametrize("value", [-0.001, -1, 100.0001, 101, 1e9, *NOT_NUMBERS])
def test_a_percentage_outside_0_to_100_or_not_a_number_is_refused(value: float) -> None:
    with pytest.raises(InvalidInputError, match="Physical realisation"):
        percentage(value, "Physical realisation")


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_every_float_is_a_percentage_only_from_0_to_100(value: float) -> None:
    if 0 <= value <= 100:
        assert percentage(value, "Score") == value
    else:
        with pytest.raises(InvalidInputError):
            percentage(value, "Score")


@pytest.mark.parametrize("value", [0, 1, 450_000_000, 10**15, 1234.4])
def test_money_is_whole_non_negative_rupiah(value: float) -> None:
    assert rupiah(value, "Pagu") == round(float(value))
    assert isinstance(rupiah(value, "Pagu"), int)


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (-1, "cannot be negative"),
        (-0.01, "cannot be negative"),
        (10**15 + 1, "beyond any regency budget"),
        (math.nan, "must be a number"),
        (math.inf, "must be a number"),
        (10**400, "far too large"),
    ],
)
def test_negative_impossible_or_absurd_money_is_refused(value: float, match: str) -> None:
    with pytest.raises(InvalidInputError, match=match):
        rupiah(value, "Pagu")


def test_zero_is_not_negative() -> None:
    assert non_negative(0, "Target") == 0
    assert non_negative(-0.0, "Target") == 0


@pytest.mark.parametrize("value", [0, 3, 3.0, "7"])
def test_a_count_is_a_whole_non_negative_number(value: float) -> None:
    assert count(value, "Reports") == int(float(value))


@pytest.mark.parametrize("value", [-1, 1.5, "2,5", math.nan, math.inf])
def test_a_count_that_is_negative_or_fractional_is_refused(value: float) -> None:
    with pytest.raises(InvalidInputError, match="Reports"):
        count(value, "Reports")


# --- texts and choices -----------------------------------------------------------------------


def test_required_text_is_trimmed_and_must_not_be_empty() -> None:
    assert required_text("  Klinik BDS ", "Name") == "Klinik BDS"
    for blank in ("", "   ", "\n\t", None):
        with pytest.raises(InvalidInputError, match="Name must not be empty"):
            required_text(blank, "Name")  # type: ignore[arg-type]


def test_texts_have_a_maximum_length() -> None:
    assert required_text("x" * 40, "Unit", max_length=40) == "x" * 40
    with pytest.raises(InvalidInputError, match="41 characters long; at most 40"):
        required_text("x" * 41, "Unit", max_length=40)
    with pytest.raises(InvalidInputError, match="Notes"):
        optional_text("x" * 2001, "Notes")


def test_optional_text_may_be_empty() -> None:
    assert optional_text(None, "Notes") == ""
    assert optional_text("  ada ", "Notes") == "ada"


def test_a_choice_is_case_insensitive_and_must_be_one_of_the_allowed() -> None:
    assert one_of(" Member ", ("coordinator", "member"), "Program role") == "member"
    with pytest.raises(InvalidInputError, match="'leader' is not one of: coordinator, member"):
        one_of("leader", ("coordinator", "member"), "Program role")


# --- kecamatan -------------------------------------------------------------------------------


def test_the_reference_list_has_the_24_kecamatan_of_kabupaten_pasuruan() -> None:
    kecamatan = all_kecamatan()
    assert len(kecamatan) == 24
    assert len({k.code for k in kecamatan}) == len({k.bps_code for k in kecamatan}) == 24
    assert {k.code for k in kecamatan} == {f"35.14.{n:02d}" for n in range(1, 25)}
    assert {"Grati", "Lekok", "Nguling", "Tosari"} <= {k.name for k in kecamatan}


@pytest.mark.parametrize("typed", ["Grati", "grati", " GRATI ", "35.14.20", "3514220"])
def test_a_kecamatan_is_found_by_name_kemendagri_code_or_bps_code(typed: str) -> None:
    assert resolve_kecamatan(typed) == "35.14.20"
    assert kecamatan_name("35.14.20") == "Grati"


def test_every_kecamatan_of_the_list_resolves_by_each_of_its_keys() -> None:
    for kecamatan in all_kecamatan():
        for key in (kecamatan.code, kecamatan.bps_code, kecamatan.name, kecamatan.name.upper()):
            assert resolve_kecamatan(key) == kecamatan.code


@pytest.mark.parametrize(
    "typed",
    ["Surabaya", "Grat", "35.14.25", "35.14.00", "35.15.01", "3514999", "Kota Pasuruan"],
)
def test_an_unknown_kecamatan_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInputError, match="is not a kecamatan of Kabupaten Pasuruan"):
        resolve_kecamatan(typed)


def test_an_unknown_code_is_shown_as_it_is() -> None:
    assert kecamatan_name("99.99.99") == "99.99.99"
