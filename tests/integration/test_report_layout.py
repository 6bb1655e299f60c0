"""The report's writers place what users typed as text: typst markup in an obstacle prints as typed.

A recommendation or an obstacle is typed by OPD staff; in the PDF it passes through typst, in
the DOCX through Word. Neither may read it as markup or code (nothing a user typed runs).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from apps.report.document import Cover, Heading, Paragraph, Report, Table
from apps.report.pdf import write_pdf
from apps.report.word import write_docx

TYPED = '#panic("dijalankan") *tebal* $x^2$ <label> @ref ] [ \\ // bukan komentar'


def _report() -> Report:
    return Report(
        cover=Cover(
            authority=("PEMERINTAH KABUPATEN PASURUAN",),
            title="LAPORAN UJI",
            subtitle=TYPED,
            facts=(("Triwulan", "Triwulan IV 2017"),),
            note="catatan",
        ),
        footer="Data per 1 Januari 2018 · posisi peristiwa 1.234",
        blocks=(
            Heading("Bagian satu"),
            Paragraph(TYPED),
            Table(
                columns=("Kode", "Faktor penghambat"),
                rows=(("A-01", TYPED),),
                widths=(1.0, 3.0),
                numeric=(False, False),
            ),
            Table(
                columns=("Kode",),
                rows=(),
                widths=(1.0,),
                numeric=(False,),
                empty="Tidak ada rekomendasi baru.",
            ),
        ),
        file_stem="uji",
        metadata={"title": "Uji", "author": "monev", "subject": "uji"},
    )


def test_typed_markup_prints_as_typed_in_the_pdf(tmp_path: Path) -> None:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is missing: `make system-deps` installs poppler-utils.")
    path = tmp_path / "uji.pdf"
    path.write_bytes(write_pdf(_report()))
    text = subprocess.run(
        [pdftotext, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert flat.count('#panic("dijalankan") *tebal* $x^2$ <label> @ref ] [') >= 2
    assert "// bukan komentar" in flat
    assert "Tidak ada rekomendasi baru." in flat
    assert "posisi peristiwa 1.234" in flat and "Halaman 1 dari" in flat


def test_typed_markup_prints_as_typed_in_the_docx() -> None:
    document = docx.Document(io.BytesIO(write_docx(_report())))
    paragraphs = [p.text for p in document.paragraphs]
    assert TYPED in paragraphs
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert TYPED in cells
    assert "Tidak ada rekomendasi baru." in paragraphs


def test_a_table_needs_one_width_and_alignment_per_column() -> None:
    with pytest.raises(ValueError, match="one width and one alignment per column"):
        Table(columns=("a", "b"), rows=(), widths=(1.0,), numeric=(False, False))
