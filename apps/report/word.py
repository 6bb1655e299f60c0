"""The report as an editable Word document (python-docx), for staff to finish and sign.

The same blocks as the PDF, in Word's own styles (Title, Heading 1/2, Table Grid), so staff
can edit it like any document. Charts are PNG (Word's SVG support varies by version). Every
page's footer carries the data stamp and a page number field that Word fills in.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from apps.report import render
from apps.report.document import Figure, Heading, PageBreak, Paragraph, Report, Table

GREY = RGBColor(0x50, 0x50, 0x50)
TEXT_WIDTH_CM = 17.0


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES), which Word computes when it lays the pages out."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, code, separate, shown, end):
        run.element.append(element)


def write_docx(report: Report) -> bytes:
    document = Document()
    properties = document.core_properties
    properties.title = report.metadata.get("title", "")
    properties.author = report.metadata.get("author", "")
    properties.subject = report.metadata.get("subject", "")
    properties.language = "id-ID"

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(2.0)
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(9.5)

    footer = section.footer.paragraphs[0]
    footer.text = report.footer + " · Halaman "
    _field(footer, "PAGE")
    footer.add_run(" dari ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(7)
        run.font.color.rgb = GREY

    _cover(document, report)
    for block in report.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph(block.text)
            if block.note:
                for run in paragraph.runs:
                    run.font.size = Pt(7.5)
                    run.font.color.rgb = GREY
        elif isinstance(block, PageBreak):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, Table):
            _table(document, block)
        elif isinstance(block, Figure):
            document.add_picture(
                io.BytesIO(render.png(block.spec)), width=Cm(TEXT_WIDTH_CM * block.width)
            )
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption = document.add_paragraph(block.caption, style="Caption")
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _cover(document: object, report: Report) -> None:
    from docx.document import Document as DocxDocument

    assert isinstance(document, DocxDocument)
    cover = report.cover
    for _ in range(3):
        document.add_paragraph()
    for line in cover.authority:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(line).bold = True
    document.add_paragraph()
    title = document.add_paragraph(cover.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = document.add_paragraph(cover.subtitle)
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    facts = document.add_table(rows=0, cols=2)
    facts.alignment = WD_TABLE_ALIGNMENT.CENTER
    for name, value in cover.facts:
        cells = facts.add_row().cells
        cells[0].paragraphs[0].add_run(name).bold = True
        cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        cells[1].text = value
    note = document.add_paragraph()
    note.add_run(cover.note).font.size = Pt(8)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _table(document: object, block: Table) -> None:
    from docx.document import Document as DocxDocument

    assert isinstance(document, DocxDocument)
    if not block.rows:
        document.add_paragraph(block.empty).runs[0].italic = True
        return
    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    total = sum(block.widths)
    header = table.rows[0].cells
    for index, name in enumerate(block.columns):
        header[index].text = ""
        header[index].paragraphs[0].add_run(name).bold = True
    for row in block.rows:
        cells = table.add_row().cells
        for index, value in enumerate(row):
            cells[index].text = value
            if block.numeric[index]:
                cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for index, width in enumerate(block.widths):
        for cell in table.columns[index].cells:
            cell.width = Cm(TEXT_WIDTH_CM * width / total)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8)
    if block.caption:
        caption = document.add_paragraph(block.caption, style="Caption")
        caption.alignment = WD_ALIGN_PARAGRAPH.LEFT
