"""The rakor report: *Laporan Hasil Evaluasi Triwulan*, from the published warehouse.

``make_report`` reads one quarter (``data.py``), writes what the report says
(``content.py``) and lays it out as PDF (``pdf.py``, typst) or DOCX (``word.py``,
python-docx). The command line (`monev report rakor`) and the dashboard's Unduh page call it.
"""

from __future__ import annotations

from pathlib import Path

from apps.report.document import FORMATS, Format, Report

__all__ = [
    "FORMATS",
    "Format",
    "make_report",
    "media_type",
    "read_report",
    "write_report",
]

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def media_type(kind: Format) -> str:
    return MEDIA_TYPES[kind]


def make_report(warehouse: Path, quarter: str, kind: Format = "pdf") -> tuple[str, bytes]:
    """The report of ``quarter`` from the warehouse file, as (file name, bytes).

    Refuses (``ReportError``, a ``MonevError``) a quarter the warehouse holds no data for, or
    a format other than pdf and docx; a refusal writes nothing.
    """
    check_format(kind)
    return write_report(read_report(warehouse, quarter), kind)


def check_format(kind: str) -> None:
    from apps.report.data import ReportError

    if kind not in FORMATS:
        raise ReportError("'{kind}' is not a report format: choose pdf or docx.", kind=kind)


def read_report(warehouse: Path, quarter: str) -> Report:
    """What the report says, read from the warehouse (its connection closed on return)."""
    from apps.report.content import build_report
    from apps.report.data import read_rakor
    from domain.quarters import Quarter

    return build_report(read_rakor(warehouse, Quarter.parse(quarter)))


def write_report(report: Report, kind: Format) -> tuple[str, bytes]:
    """The report laid out as PDF (typst) or DOCX (python-docx): (file name, bytes)."""
    check_format(kind)
    if kind == "docx":
        from apps.report.word import write_docx

        return f"{report.file_stem}.docx", write_docx(report)
    from apps.report.pdf import write_pdf

    return f"{report.file_stem}.pdf", write_pdf(report)
