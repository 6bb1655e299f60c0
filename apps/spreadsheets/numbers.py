"""Indonesian numbers as people type them: money, percentages, plain quantities.

Indonesian offices write thousands with a dot and decimals with a comma (``Rp 1.250.000,00``,
``60,5``). Parsing is babel's strict ``parse_decimal`` for ``id_ID``, so the grouping rules are
CLDR's rather than our own regular expressions. On top of it only what babel rightly refuses but
spreadsheets produce anyway: ``Rp``/``IDR`` and ``,-`` around money, a ``%`` sign, spaces inside
numbers, and a lone decimal dot written by an English-locale Excel (``60.5``).

Every refusal is an ``InvalidInputError`` (a ``MonevError`` and a ``ValueError``), so the CLI,
the dashboard and the spreadsheet import can print its message as it is.

Babel is imported on first use: loading it and its ``id_ID`` data cost a command about 40 ms,
and the common inputs (``1250000``, ``1.250.000``) are read without it, to the same value babel
gives (``tests/unit/test_numbers.py`` compares the two).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from domain.errors import InvalidInputError
from domain.rules import money_digits

LOCALE = "id_ID"

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")
_CURRENCY = re.compile(r"^(?:rp\.?|idr)|(?:rp\.?|idr)$", re.IGNORECASE)
_DOT_DECIMAL = re.compile(r"^[+-]?\d+\.\d+$")  # 60.5 or 1250000.00, but never 1.250 (see below)
_THREE_DECIMALS = re.compile(r",\d{3}$")
# Whole numbers in Indonesian grouping, ``1.250`` or ``1.250.000``: what babel's strict parse
# reads as the digits without their dots (a leading zero, ``01.000``, is left to babel).
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")

Number = str | int | float | Decimal


def _decimal(text: Number, what: str, example: str) -> Decimal:
    """The value as a Decimal, read the Indonesian way; refuses anything else in one sentence."""
    if isinstance(text, bool):
        raise InvalidInputError(
            "{what}: '{text}' is not a number; write it like {example}.",
            what=what,
            text=text,
            example=example,
        )
    if isinstance(text, int | Decimal):
        return Decimal(text)
    if isinstance(text, float):
        if math.isnan(text) or math.isinf(text):
            raise InvalidInputError(
                "{what}: '{text}' is not a number; write it like {example}.",
                what=what,
                text=text,
                example=example,
            )
        return Decimal(repr(text))
    cleaned = _SPACES.sub("", str(text))
    if not cleaned:
        raise InvalidInputError(
            "{what} is empty; write it like {example}.", what=what, example=example
        )
    if cleaned.isascii() and cleaned.isdigit():
        return Decimal(cleaned)  # the common case, without babel's pattern machinery
    if cleaned.isascii() and _GROUPED.fullmatch(cleaned):
        return Decimal(cleaned.replace(".", ""))  # as babel reads it, without loading babel
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        value = parse_decimal(cleaned, locale=LOCALE, strict=True)
    except (NumberFormatError, InvalidOperation):  # babel fails on some exponents
        # "1.250" is Indonesian for one thousand two hundred and fifty, and babel reads it so.
        # A single dot followed by other than three digits cannot be grouping, so it is the
        # decimal point of an English-locale export; anything else is refused, not guessed.
        if not _DOT_DECIMAL.match(cleaned):
            raise InvalidInputError(
                "{what}: '{text}' is not a number; write it like {example}.",
                what=what,
                text=text,
                example=example,
            ) from None
        value = Decimal(cleaned)
    if not value.is_finite():
        raise InvalidInputError(
            "{what}: '{text}' is not a number; write it like {example}.",
            what=what,
            text=text,
            example=example,
        )
    return value


def parse_rupiah(text: Number, what: str = "Amount") -> int:
    """Whole rupiah from ``1.250.000``, ``Rp 1.250.000,00``, ``Rp1.250.000,-`` or ``1250000``.

    A non-zero fraction is refused rather than rounded: ``1,250`` is one rupiah and a quarter in
    Indonesian but 1,250 rupiah to someone used to English grouping, and only the writer knows.
    Negative amounts parse (the domain refuses them with its own message).
    """
    example = "1.250.000 or Rp 1.250.000,00"
    if isinstance(text, str):
        cleaned = _SPACES.sub("", text)
        cleaned = cleaned.removesuffix(",-").removesuffix(",–")
        negative = cleaned.startswith("-")
        cleaned = _CURRENCY.sub("", cleaned.lstrip("-"))
        if negative:
            cleaned = "-" + cleaned
        if _THREE_DECIMALS.search(cleaned) and "." not in cleaned:
            raise InvalidInputError(
                "{what}: '{text}' is ambiguous; rupiah are grouped with dots: write "
                "{grouped} for thousands.",
                what=what,
                text=text,
                grouped=cleaned.replace(",", "."),
            )
        value = _decimal(cleaned, what, example)
    else:
        value = _decimal(text, what, example)
    if value != value.to_integral_value():
        raise InvalidInputError(
            "{what}: '{text}' has a fraction of a rupiah; amounts are whole rupiah.",
            what=what,
            text=text,
        )
    if isinstance(text, str):
        money_digits(text, what)  # the domain's rule: digits or Indonesian grouping, no exponent
    return int(value)


def parse_percent(text: Number, what: str = "Percentage") -> float:
    """A percentage from ``60``, ``60%``, ``60,5`` or ``60,5 %`` (the number of percent, 0-100).

    Range checks stay in the domain, which knows whether 120% is possible for the value.
    """
    if isinstance(text, str):
        text = _SPACES.sub("", text).removesuffix("%")
    return float(_decimal(text, what, "60, 60% or 60,5"))


def parse_number(text: Number, what: str = "Number") -> float:
    """A quantity from ``1.250`` (thousands), ``60,5`` (decimal comma) or ``12``."""
    return float(_decimal(text, what, "12, 60,5 or 1.250"))


def format_rupiah(value: int | float | Decimal) -> str:
    """``Rp 1.234.567``: whole rupiah with Indonesian grouping (CLDR id_ID)."""
    from babel.numbers import format_decimal

    number = Decimal(value).to_integral_value()
    digits = format_decimal(abs(number), format="#,##0", locale=LOCALE)
    return f"-Rp {digits}" if number < 0 else f"Rp {digits}"


def format_percent(value: float | Decimal, digits: int = 1) -> str:
    """``60,0%`` for 60 (a number of percent, not a fraction)."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=LOCALE) + "%"


def format_number(value: float | Decimal, digits: int = 1) -> str:
    """``1.250`` or ``60,5``: Indonesian grouping and decimal comma, trailing zeros dropped."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    try:
        return format_decimal(value, format=pattern, locale=LOCALE)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
