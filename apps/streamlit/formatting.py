"""Numbers, money, dates and quarters as the dashboard's readers write them.

Every figure goes through babel's CLDR data rather than Python's ``format`` so the grouping and
decimal marks are the locale's own: ``Rp 1.234.567`` and ``60,0%`` in Indonesian, ``Rp 1,234,567``
and ``60.0%`` in English. Times are shown in WIB (Asia/Jakarta), the regency's clock, whatever
the server's zone. Functions here take the language explicitly and read no Streamlit state, so
they can be used inside cached functions and in plain tests.
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from babel.dates import format_datetime
from babel.numbers import format_decimal

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


def format_number(value: Number | None, digits: int = 0, lang: str = "id") -> str:
    """``1.250`` or ``60,5``; a missing value is a dash, never ``nan``."""
    if _is_missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def format_rupiah(value: Number | None, lang: str = "id") -> str:
    """``Rp 1.234.567``: whole rupiah, as the regency's documents write them."""
    if _is_missing(value):
        return MISSING
    number = Decimal(str(value)).to_integral_value()
    digits = format_decimal(abs(number), format="#,##0", locale=_locale(lang))
    return f"-Rp {digits}" if number < 0 else f"Rp {digits}"


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
            digits = format_decimal(amount, format="#,##0.##", locale=_locale(lang))
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
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=_locale(lang)) + "%"


def format_points(value: Number | None, digits: int = 1, lang: str = "id") -> str:
    """A signed difference of percentages, ``+2,5 poin``: deltas of rates are points, not %."""
    if _is_missing(value):
        return MISSING
    pattern = "+#,##0" + ("." + "0" * digits if digits > 0 else "")
    pattern = f"{pattern};-#,##0" + ("." + "0" * digits if digits > 0 else "")
    unit = "poin" if lang == "id" else "pts"
    return f"{format_decimal(value, format=pattern, locale=_locale(lang))} {unit}"


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
    text = format_datetime(value, "d MMMM y HH.mm", locale=_locale(lang), tzinfo=TIMEZONE)
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
