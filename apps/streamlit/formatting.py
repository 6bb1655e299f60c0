"""Numbers, money, dates and quarters as the dashboard's readers write them.

The grouping and decimal marks are the locale's own, from babel's CLDR data: ``Rp 1.234.567``
and ``60,0%`` in Indonesian, ``Rp 1,234,567`` and ``60.0%`` in English. Digits are laid out by
``Decimal``'s own formatting with babel's rounding (half to even) and then given the locale's
marks: calling babel's pattern engine per cell cost about 80 µs, half a second of the server's
time for one table of a thousand activities. Times are shown in WIB (Asia/Jakarta), the
regency's clock, whatever the server's zone. Functions here take the language explicitly and
read no Streamlit state, so they can be used inside cached functions and in plain tests.
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import cache

import pandas as pd
from babel.dates import format_datetime, get_timezone
from babel.numbers import get_decimal_symbol, get_group_symbol

from domain.errors import InvalidInputError
from domain.quarters import Quarter

LOCALES = {"id": "id_ID", "en": "en_GB"}
TIMEZONE = "Asia/Jakarta"
MISSING = "–"

Number = int | float | Decimal


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["id"])


def _is_missing(value: object) -> bool:
    """None, NaN and pandas' NA/NaT (nullable columns) all show as a dash."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


@cache
def _marks(lang: str) -> dict[int, str]:
    """Python's "," and "." mapped to the locale's group and decimal symbols."""
    locale = _locale(lang)
    return {ord(","): get_group_symbol(locale), ord("."): get_decimal_symbol(locale)}


def _digits(value: Number, places: int, *, optional: bool = False, sign: bool = False) -> str:
    """``value`` rounded half to even to ``places`` decimals, grouped, in the locale's marks.

    ``optional``: trailing zero decimals are dropped (babel's ``#,##0.#``).
    """
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    if number == 0:
        number = abs(number)  # never "-0,0"
    text = format(number, f"{'+' if sign else ''},.{places}f")
    if optional and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _localised(text: str, lang: str) -> str:
    return text.translate(_marks(lang))


def format_number(value: Number | None, digits: int = 0, lang: str = "id") -> str:
    """``1.250`` or ``60,5``; a missing value is a dash, never ``nan``."""
    if _is_missing(value):
        return MISSING
    assert value is not None
    return _localised(_digits(value, digits, optional=True), lang)


def format_rupiah(value: Number | None, lang: str = "id") -> str:
    """``Rp 1.234.567``: whole rupiah, as the regency's documents write them."""
    if _is_missing(value):
        return MISSING
    assert value is not None
    digits = _localised(_digits(value, 0), lang)
    return f"-Rp {digits[1:]}" if digits.startswith("-") else f"Rp {digits}"


# The abbreviations of Indonesian budget documents: T(riliun), M(iliar), jt (juta).
_SCALES = (
    (10**12, "T", "tn"),
    (10**9, "M", "bn"),
    (10**6, "jt", "m"),
)


def format_rupiah_short(value: Number | None, lang: str = "id") -> str:
    """``Rp 6,77 M`` (miliar): for KPI tiles, where ``Rp 6.765.000.000`` would be cut off.

    The full amount stays in the tile's help text and in every table.
    """
    if _is_missing(value):
        return MISSING
    number = Decimal(str(value))
    for scale, word_id, word_en in _SCALES:
        if abs(number) >= scale:
            # Rounded half up, as people round money, not half to even as babel would.
            amount = (abs(number) / scale).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            digits = _localised(_digits(amount, 2, optional=True), lang)
            text = f"Rp {digits} {word_id if lang == 'id' else word_en}"
            return "-" + text if number < 0 else text
    return format_rupiah(value, lang)


def format_signed_rupiah_short(value: Number | None, lang: str = "id") -> str:
    if _is_missing(value):
        return MISSING
    text = format_rupiah_short(value, lang)
    return text if text.startswith("-") else "+" + text


def format_percent(value: Number | None, digits: int = 1, lang: str = "id") -> str:
    """``60,0%`` for 60: the value is a number of percent, as the marts store it."""
    if _is_missing(value):
        return MISSING
    assert value is not None
    return _localised(_digits(value, digits), lang) + "%"


def format_points(value: Number | None, digits: int = 1, lang: str = "id") -> str:
    """A signed difference of percentages, ``+2,5 poin``: deltas of rates are points, not %."""
    if _is_missing(value):
        return MISSING
    assert value is not None
    unit = "poin" if lang == "id" else "pts"
    return f"{_localised(_digits(value, digits, sign=True), lang)} {unit}"


def format_signed_rupiah(value: Number | None, lang: str = "id") -> str:
    """``+Rp 1.000.000``: a KPI's change against the previous quarter."""
    if _is_missing(value):
        return MISSING
    text = format_rupiah(value, lang)
    return text if text.startswith("-") else "+" + text


def format_signed_number(value: Number | None, digits: int = 0, lang: str = "id") -> str:
    if _is_missing(value):
        return MISSING
    text = format_number(value, digits, lang)
    return text if text.startswith("-") else "+" + text


def format_timestamp(value: datetime | None, lang: str = "id") -> str:
    """``12 Juli 2017 21.05 WIB``: the data-as-of stamp on every page."""
    if value is None:
        return MISSING
    text = format_datetime(
        value, "d MMMM y HH.mm", locale=_locale(lang), tzinfo=get_timezone(TIMEZONE)
    )
    return f"{text} WIB"


def quarter_label(code: str | Quarter, lang: str = "id") -> str:
    """``Triwulan II 2017`` (``Quarter II 2017`` in English) for ``2017-Q2``."""
    try:
        quarter = Quarter.parse(code)
    except InvalidInputError:
        return str(code)
    return quarter.label if lang == "id" else quarter.label_en


def previous_quarter(code: str) -> str:
    return Quarter.parse(code).previous().code


# Characters that make Markdown of plain text: links and images (``[``/``]``), autolinks and HTML
# (``<``/``>``), emphasis, code, headings, tables, maths, Streamlit's colours (``:red[…]``).
# Escaped where a typed text must sit inside a Markdown sentence.
MARKDOWN_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~$"})


def escape_markdown(text: str) -> str:
    """Text shown inside Markdown exactly as typed: no link, image, emphasis or HTML."""
    return str(text).translate(MARKDOWN_ESCAPES)
