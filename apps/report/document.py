"""The report as plain blocks, written once and laid out twice (PDF by typst, DOCX by Word).

Every piece of text here is data: the writers place it as text, never as markup or code, so an
obstacle or a recommendation typed by a user prints as typed (a ``#`` or ``*`` included).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    note: bool = False  # small print: sources, caveats


@dataclass(frozen=True)
class Table:
    """A table of text cells; ``numeric`` columns are right-aligned, ``widths`` are relative."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    numeric: tuple[bool, ...]
    caption: str = ""
    empty: str = "Tidak ada."

    def __post_init__(self) -> None:
        if not (len(self.columns) == len(self.widths) == len(self.numeric)):
            msg = "A table needs one width and one alignment per column."
            raise ValueError(msg)


@dataclass(frozen=True)
class Figure:
    """A chart: the Vega-Lite specification the dashboard draws, rendered by each writer."""

    spec: dict[str, Any]
    caption: str
    width: float = 1.0  # share of the text width


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | Figure | PageBreak


@dataclass(frozen=True)
class Cover:
    authority: tuple[str, ...]
    title: str
    subtitle: str
    facts: tuple[tuple[str, str], ...]
    note: str


@dataclass(frozen=True)
class Report:
    cover: Cover
    footer: str
    blocks: tuple[Block, ...]
    file_stem: str
    metadata: dict[str, str] = field(default_factory=dict)


Format = Literal["pdf", "docx"]
FORMATS: tuple[Format, ...] = ("pdf", "docx")
