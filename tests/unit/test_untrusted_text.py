"""Formula-looking text is written inert; numbers and ordinary text are untouched."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from apps.spreadsheets.inert import csv_cell, make_workbook_inert
from apps.streamlit.auth import oidc_email_verified
from apps.streamlit.formatting import escape_markdown

RISKY = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")']


@pytest.mark.parametrize("text", RISKY)
def test_risky_text_is_prefixed_in_csv(text: str) -> None:
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Pendamping aktif", "", 12, -5, 3.5, None, "5-6 orang"])
def test_other_values_are_unchanged_in_csv(value: object) -> None:
    assert csv_cell(value) == value


def test_a_workbook_keeps_numbers_and_stores_risky_text_as_quote_prefixed_text() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([*RISKY, -5, 1.5, "biasa"])
    assert sheet["A1"].data_type == "f"  # what openpyxl does on its own
    data = io.BytesIO()
    make_workbook_inert(workbook).save(data)
    cells = next(iter(load_workbook(io.BytesIO(data.getvalue())).active.iter_rows()))
    for cell, text in zip(cells, RISKY, strict=False):
        assert cell.data_type == "s", text
        assert cell.value == text
        assert cell.quotePrefix
    assert [c.value for c in cells[len(RISKY) :]] == [-5, 1.5, "biasa"]
    assert [c.data_type for c in cells[len(RISKY) :]] == ["n", "n", "s"]


def test_oidc_needs_a_verified_address() -> None:
    assert oidc_email_verified({"email": "a@b.go.id", "email_verified": True})
    assert oidc_email_verified({"email": "a@b.go.id", "email_verified": "true"})
    assert not oidc_email_verified({"email": "a@b.go.id", "email_verified": False})
    assert not oidc_email_verified({"email": "a@b.go.id"})


def test_typed_text_inside_markdown_makes_no_image_link_or_html() -> None:
    escaped = escape_markdown("![x](http://evil.example/p.png) <img src=x> **b**")
    assert "!\\[x\\]" in escaped  # shown as typed, not an image
    assert "\\<img" in escaped  # not HTML
    assert "\\*\\*b\\*\\*" in escaped  # not bold
