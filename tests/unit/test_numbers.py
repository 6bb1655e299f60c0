"""Indonesian money, percentages and quantities, as offices write them."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from apps.spreadsheets.numbers import (
    format_number,
    format_percent,
    format_rupiah,
    parse_number,
    parse_percent,
    parse_rupiah,
)
from domain.errors import InvalidInputError, MonevError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.250.000", 1_250_000),
        ("Rp 1.250.000,00", 1_250_000),
        ("Rp1.250.000", 1_250_000),
        ("Rp. 1.250.000,-", 1_250_000),
        ("IDR 1.250.000", 1_250_000),
        ("1250000", 1_250_000),
        ("1 250 000", 1_250_000),
        ("1\u00a0250\u00a0000", 1_250_000),
        ("1250000.00", 1_250_000),
        ("0", 0),
        ("-1.000", -1_000),
        (1_250_000, 1_250_000),
        (1_250_000.0, 1_250_000),
    ],
)
def test_rupiah_in_indonesian_grouping(text: str | int | float, expected: int) -> None:
    assert parse_rupiah(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1,250", "ambiguous"),
        ("1,250,000", "ambiguous"),
        ("1.250.000,50", "fraction of a rupiah"),
        ("satu juta", "not a number"),
        ("", "empty"),
        ("12.50.000", "not a number"),
    ],
)
def test_rupiah_refuses_what_it_cannot_be_sure_of(text: str, reason: str) -> None:
    with pytest.raises(InvalidInputError, match=reason) as refused:
        parse_rupiah(text, "Pagu (Rp)")
    assert str(refused.value).startswith("Pagu (Rp)")
    assert isinstance(refused.value, MonevError) and isinstance(refused.value, ValueError)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("60", 60.0), ("60%", 60.0), ("60,5", 60.5), ("60,5 %", 60.5), ("60.5", 60.5), (75, 75.0)],
)
def test_percent_as_60_or_60_percent_or_60_comma_5(text: str | int, expected: float) -> None:
    assert parse_percent(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("12", 12.0), ("1.250", 1250.0), ("0,75", 0.75), ("3.5", 3.5)]
)
def test_numbers_read_the_dot_as_thousands_and_the_comma_as_decimals(
    text: str, expected: float
) -> None:
    assert parse_number(text) == expected


def test_non_numbers_are_refused_in_a_sentence() -> None:
    with pytest.raises(InvalidInputError, match="'banyak' is not a number"):
        parse_number("banyak", "Realisasi Indikator")
    with pytest.raises(InvalidInputError):
        parse_percent("nan")
    with pytest.raises(InvalidInputError):
        parse_number(float("inf"))


def test_formats_are_indonesian() -> None:
    assert format_rupiah(1_234_567) == "Rp 1.234.567"
    assert format_rupiah(0) == "Rp 0"
    assert format_rupiah(-2_500) == "-Rp 2.500"
    assert format_percent(60) == "60,0%"
    assert format_percent(60.04) == "60,0%"
    assert format_percent(100, digits=0) == "100%"
    assert format_number(1250) == "1.250"
    assert format_number(60.5) == "60,5"


@given(st.integers(min_value=0, max_value=10**15))
def test_formatted_rupiah_parses_back(amount: int) -> None:
    assert parse_rupiah(format_rupiah(amount)) == amount


@given(st.decimals(min_value=0, max_value=100, places=1, allow_nan=False))
def test_formatted_percent_parses_back(value: object) -> None:
    assert parse_percent(format_percent(float(value))) == pytest.approx(float(value))  # type: ignore[arg-type]


def babel_reading(text: str) -> float | None:
    """How a number was read before the shortcut: babel's strict parse for id_ID, else a lone
    decimal dot; None when refused."""
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        return float(parse_decimal(text, locale="id_ID", strict=True))
    except (NumberFormatError, ArithmeticError):
        return float(text) if re.fullmatch(r"[+-]?\d+\.\d+", text) else None


@given(
    st.one_of(
        st.integers(min_value=0, max_value=10**21).map(lambda n: f"{n:,}".replace(",", ".")),
        st.from_regex(r"\A-?[0-9][0-9.,]{0,12}\Z"),
    )
)
@example("01.000")
@example("0.000")
@example("000.000")
@example("1.0000")
@example("12.50.000")
@example("1.000,5")
@example("-1.000")
def test_numbers_are_read_as_babel_reads_them(text: str) -> None:
    """Whole numbers in Indonesian grouping skip babel (loading it costs a command ~40 ms);
    every number must still be read exactly as babel's strict parse reads it."""
    try:
        read: float | None = parse_number(text)
    except InvalidInputError:
        read = None
    assert read == babel_reading(text)


def test_a_grouped_amount_is_read_without_loading_babel() -> None:
    code = (
        "import sys\n"
        "from apps.spreadsheets.numbers import parse_number, parse_rupiah\n"
        "assert parse_rupiah('1.000.000') == 1_000_000\n"
        "assert parse_number('1.250') == 1250.0 and parse_number('3') == 3.0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'babel'))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
    with_decimals = code.replace("'1.000.000'", "'1.000.000,00'")
    run = subprocess.run(
        [sys.executable, "-c", with_decimals], capture_output=True, text=True, check=True
    )
    assert "babel.numbers" in run.stdout  # anything else is still babel's to read
