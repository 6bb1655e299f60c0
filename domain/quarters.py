"""Quarters (triwulan) of a fiscal year.

Stored as the string ``"2017-Q2"`` so event payloads stay plain and sortable; shown to users as
"Triwulan II 2017".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from domain.errors import InvalidInputError

ROMAN = ("I", "II", "III", "IV")
_PATTERNS = (
    re.compile(r"^(?P<year>\d{4})\s*[-/ ]?\s*(?:Q|TW|T)(?P<q>[1-4])$", re.IGNORECASE),
    re.compile(r"^(?:Q|TW|T)(?P<q>[1-4])\s*[-/ ]?\s*(?P<year>\d{4})$", re.IGNORECASE),
    re.compile(r"^(?:triwulan\s+)?(?P<roman>IV|I{1,3})\s*[-/ ]?\s*(?P<year>\d{4})$", re.IGNORECASE),
    re.compile(r"^(?P<year>\d{4})\s*[-/ ]\s*(?P<roman>IV|I{1,3})$", re.IGNORECASE),
)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise InvalidInputError(
                "Triwulan must be I to IV (1 to 4), not {number}.", number=self.number
            )
        if not 2000 <= self.year <= 2100:
            raise InvalidInputError("Fiscal year {year} is outside 2000 to 2100.", year=self.year)

    @classmethod
    def parse(cls, text: str | Quarter) -> Quarter:
        """Accepts the forms people type: 2017-Q2, 2017Q2, Q2-2017, II/2017, Triwulan II 2017."""
        if isinstance(text, Quarter):
            return text
        quarter = _parse(str(text).strip())
        if quarter is None:
            raise InvalidInputError(
                "'{text}' is not a quarter: write it like 2017-Q2 (triwulan I to IV).", text=text
            )
        return quarter

    @cached_property
    def code(self) -> str:
        """Made once per quarter (parsed quarters are shared): each evaluation asks twice."""
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        return f"Triwulan {ROMAN[self.number - 1]} {self.year}"

    @property
    def label_en(self) -> str:
        return f"Quarter {ROMAN[self.number - 1]} {self.year}"

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def __str__(self) -> str:
        return self.code


def quarter_code(text: str | Quarter) -> str:
    """Normalises any accepted spelling to the stored form."""
    return Quarter.parse(text).code


@lru_cache(maxsize=1024)
def _parse(cleaned: str) -> Quarter | None:
    """Cached (a quarter is immutable): every evaluation command parses one, and trying the
    patterns in turn cost a few microseconds each time."""
    for pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if match:
            groups = match.groupdict()
            number = (
                int(groups["q"]) if groups.get("q") else ROMAN.index(groups["roman"].upper()) + 1
            )
            return Quarter(int(groups["year"]), number)
    return None
