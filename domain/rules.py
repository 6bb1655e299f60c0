"""Small value checks shared by the aggregates.

Each raises InvalidInputError with a code naming the field and the value (see
``domain.errors``), so the same refusal serves the CLI, a form and a spreadsheet row report, in
either language. Whatever the entry point, these are the limits of what can be stored:

- numbers are finite (no NaN, no infinity) and at most ``MAX_QUANTITY`` (targets, counts);
- money is whole rupiah from 0 to ``MAX_RUPIAH``; typed as text it is plain digits or
  Indonesian grouping (``1250000``, ``1.250.000``, ``Rp 1.250.000,00``), never an exponent;
- texts hold no control character (a newline or tab included: every text is one line in the
  log, in CSV and in a table cell) and at least one visible character (not only spaces,
  non-breaking spaces or zero-width characters).
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import InvalidInputError

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,39}$")
_ID_NAMESPACE = uuid5(NAMESPACE_URL, "https://monev.pasuruankab.go.id/id")
# Money as people type it: digits, or digits grouped by dots in threes; "Rp" before and ",00"
# or ",-" after are allowed (spaces are removed before the check).
_MONEY_TEXT = re.compile(
    r"^-?(?:rp\.?|idr)?(?P<digits>\d+(?:\.0{1,2})?|\d{1,3}(?:\.\d{3})+)(?:,0{1,2}|,-|,–)?$", re.I
)
MAX_RUPIAH = 10**15  # far beyond any regency budget (Kabupaten Pasuruan's is about 10**12)
MAX_QUANTITY = 1e12  # targets, indicator values and counts: beyond this is a typo
# An indicator's realisation may exceed its target (over-achievement is reported as such), but
# not by more than this factor of the annual target (or of 1 where the target is 0): 1,000 %
# achievement is a typo, never a result.
INDICATOR_BOUND_FACTOR = 10


def normalise_code(value: str, what: str) -> str:
    """Codes are natural keys: case-insensitive, trimmed, and limited to safe characters."""
    code = str(value).strip().upper()
    if not _CODE.match(code):
        raise InvalidInputError(
            "{what} code '{value}' is not valid: use 1 to 40 letters, digits, '.', '-', '_' "
            "or '/', starting with a letter or digit.",
            what=what,
            value=printable(value),
        )
    return code


@lru_cache(maxsize=16_384)
def aggregate_id(kind: str, code: str) -> UUID:
    """Deterministic ids from natural keys: registering a code twice collides in the store.

    Cached (ids are immutable): every command derives one or two, and each uuid5 (SHA-1)
    cost about 18 µs of CPU, measured where a raw commit cost about 330 µs.
    """
    return uuid5(_ID_NAMESPACE, f"{kind}:{code}")


def printable(value: object, limit: int = 60) -> str:
    """A value quoted back in a refusal: control characters shown escaped, long ones cut."""
    text = str(value)
    shown = "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) == "Cc" else ch
        for ch in text[:limit]
    )
    return shown + ("…" if len(text) > limit else "")


def _check_text(text: str, what: str) -> None:
    for ch in text:
        if unicodedata.category(ch) == "Cc":
            raise InvalidInputError(
                "{what} contains a control character ({char}); write it on one line without "
                "tabs or other control characters.",
                what=what,
                char=repr(ch),
            )


def _visible(text: str) -> bool:
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Zs") for ch in text)


def required_text(value: str, what: str, *, max_length: int = 500) -> str:
    text = str(value or "").strip()
    _check_text(text, what)
    if not _visible(text):
        raise InvalidInputError("{what} must not be empty.", what=what)
    if len(text) > max_length:
        raise InvalidInputError(
            "{what} is {length} characters long; at most {limit} are allowed.",
            what=what,
            length=len(text),
            limit=max_length,
        )
    return text


def optional_text(value: str | None, what: str, *, max_length: int = 2000) -> str:
    text = str(value or "").strip()
    _check_text(text, what)
    if not _visible(text):
        return ""
    if len(text) > max_length:
        raise InvalidInputError(
            "{what} is {length} characters long; at most {limit} are allowed.",
            what=what,
            length=len(text),
            limit=max_length,
        )
    return text


def finite_number(value: float, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInputError(
            "{what} must be a number, not '{value}'.", what=what, value=printable(value)
        ) from None
    except OverflowError:  # an int beyond any float; too long to quote back
        raise InvalidInputError("{what} is far too large to be a number here.", what=what) from None
    if math.isnan(number) or math.isinf(number):
        raise InvalidInputError(
            "{what} must be a number, not '{value}'.", what=what, value=printable(value)
        )
    return number


def non_negative(value: float, what: str) -> float:
    number = finite_number(value, what)
    if number < 0:
        raise InvalidInputError("{what} cannot be negative ({value}).", what=what, value=value)
    return number


def quantity(value: float, what: str) -> float:
    """A target or an indicator value: finite, not negative, at most ``MAX_QUANTITY``."""
    number = non_negative(value, what)
    if number > MAX_QUANTITY:
        raise InvalidInputError(
            "{what} of {value} is beyond any plausible quantity (at most {limit}).",
            what=what,
            value=number,
            limit=int(MAX_QUANTITY),
        )
    return number


def rupiah(value: int | float, what: str) -> int:
    """Money is whole rupiah, never negative; text is read by the entry point (``money_digits``)."""
    if isinstance(value, str | bool):
        raise InvalidInputError(
            "{what} must be a number, not '{value}'.", what=what, value=printable(value)
        )
    number = non_negative(value, what)
    if number > MAX_RUPIAH:
        raise InvalidInputError(
            "{what} of Rp {value} is beyond any regency budget (at most Rp {limit}).",
            what=what,
            value=round(number),
            limit=MAX_RUPIAH,
        )
    return round(number)


def money_digits(text: str, what: str) -> int:
    """Money typed as text: ``1250000``, ``1.250.000``, ``Rp 1.250.000,00`` or ``1.250.000,-``
    (and ``1250000.00``, a spreadsheet's English-locale export of whole rupiah).

    Anything else (an exponent such as ``1e9``, a decimal point, English grouping) is refused
    rather than guessed: a misread amount would skew a year's absorption figures.
    """
    cleaned = re.sub(r"[\s\u00a0\u202f\u2007]+", "", text)
    match = _MONEY_TEXT.match(cleaned)
    if not match:
        raise InvalidInputError(
            "{what}: '{value}' is not an amount of rupiah; write digits, optionally grouped "
            "with dots: 1250000 or 1.250.000.",
            what=what,
            value=printable(text),
        )
    digits = match["digits"]
    whole = (
        int(digits.split(".")[0])
        if re.fullmatch(r"\d+\.0{1,2}", digits)
        else int(digits.replace(".", ""))
    )
    return -whole if cleaned.startswith("-") else whole


def percentage(value: float, what: str) -> float:
    number = finite_number(value, what)
    if not 0 <= number <= 100:
        raise InvalidInputError(
            "{what} must be between 0 and 100 percent, not {value}.", what=what, value=value
        )
    return number


def count(value: int, what: str) -> int:
    number = non_negative(value, what)
    if number != int(number) or number > MAX_QUANTITY:
        raise InvalidInputError(
            "{what} must be a whole number up to {limit}, not {value}.",
            what=what,
            value=value,
            limit=int(MAX_QUANTITY),
        )
    return int(number)


def one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    text = str(value).strip().lower()
    if text not in allowed:
        raise InvalidInputError(
            "{what} '{value}' is not one of: {allowed}.",
            what=what,
            value=printable(value),
            allowed=", ".join(allowed),
        )
    return text
