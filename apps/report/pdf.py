"""The report as PDF, laid out by typst (its Python package: a compiler in the wheel).

The layout is a fixed template (``rakor.typ``); the report's blocks reach it as JSON through
``sys.inputs`` and are placed as text, so nothing a user typed is ever read as typst markup.
Charts are the dashboard's specifications rendered to SVG by vl-convert. Fonts are the
system's (DejaVu Sans, from Debian's fonts-dejavu-core) with typst's own as fallback.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import typst

from apps.report import render
from apps.report.document import Figure, Heading, PageBreak, Paragraph, Report, Table

TEMPLATE = "rakor.typ"


def _block(block: object, charts: list[str]) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"kind": "heading", "text": block.text, "level": block.level}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": block.text, "note": block.note}
    if isinstance(block, PageBreak):
        return {"kind": "pagebreak"}
    if isinstance(block, Table):
        return {"kind": "table", **asdict(block)}
    if isinstance(block, Figure):
        charts.append(render.svg(block.spec))
        return {
            "kind": "figure",
            "chart": len(charts) - 1,
            "caption": block.caption,
            "width": block.width,
        }
    msg = f"Unknown report block {type(block).__name__}."
    raise TypeError(msg)


def write_pdf(report: Report) -> bytes:
    charts: list[str] = []
    blocks = [_block(block, charts) for block in report.blocks]
    payload = {
        "cover": asdict(report.cover),
        "footer": report.footer,
        "metadata": report.metadata,
        "blocks": blocks,
        "charts": charts,
    }
    template = resources.files("apps.report").joinpath(TEMPLATE).read_bytes()
    return bytes(
        typst.compile(
            template,
            sys_inputs={"report": json.dumps(payload, ensure_ascii=False)},
            # The document's date is when it was written; no other clock is read.
            timestamp=int(datetime.now(UTC).timestamp()),
        )
    )
