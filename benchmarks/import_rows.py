"""Spreadsheet import: 10,000 rows of one XLSX file into a SQLite store, all or nothing.

The file is what an agency would send at the start of a year and through it: 2,000 activities
on the Kegiatan sheet and their realisation for four quarters (8,000 rows) on the Realisasi
sheet, so later rows depend on earlier ones as they do in real files. Timed end to end: reading
the workbook, running every row's domain command, and the one transaction that stores them.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from apps.spreadsheets.importer import import_spreadsheet
from apps.spreadsheets.rows import ACTIVITIES, EVALUATIONS
from benchmarks.report import Report
from domain.actors import ADMIN, OPD, Actor
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

SECTION = "Spreadsheet import (SQLite event store)"
ACTIVITY_ROWS = 2_000
YEAR = 2018
TARGET_SECONDS = 10.0


def write_workbook(path: Path) -> int:
    """Writes the benchmark file; returns its data rows.

    Written as a whole workbook, not in openpyxl's write-only mode, so it is stored as Excel
    stores files (shared strings, a dimension record): write-only files lack the dimension,
    and reading one costs a second pass over the sheet that no file from Excel needs.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    activities = workbook.create_sheet(ACTIVITIES.title)
    activities.append([c.label for c in ACTIVITIES.input_columns])
    for i in range(ACTIVITY_ROWS):
        activities.append(
            [f"B-{i:05d}", f"P-DISKOPUKM-{YEAR}", "DISKOPUKM", f"Kegiatan {i}",
             ("Grati", "Lekok", "Nguling", "Bangil")[i % 4], f"Rp {(i % 90 + 10) * 1_000_000:,}"
             .replace(",", "."), "Keluaran", "unit", "inkremental", 40, 10, 10, 10, 10]
        )  # fmt: skip
    evaluations = workbook.create_sheet(EVALUATIONS.title)
    evaluations.append([c.label for c in EVALUATIONS.input_columns])
    for quarter in range(1, 5):
        for i in range(ACTIVITY_ROWS):
            evaluations.append(
                [f"B-{i:05d}", f"{YEAR}-Q{quarter}", f"{min(100, 25 * quarter)},0",
                 f"{(i % 50 + 1) * 100_000}", i % 12, "", ""]
            )  # fmt: skip
    workbook.save(path)
    return ACTIVITY_ROWS * 5


def run(report: Report) -> None:
    with tempfile.TemporaryDirectory(prefix="monev-bench-import-") as tmp:
        root = Path(tmp)
        app = build_application(Settings.from_env({}, home=root / "home"))
        admin = Actor("admin", ADMIN)
        app.register_opd(admin, code="DISKOPUKM", name="Dinas Koperasi dan Usaha Mikro")
        app.register_program(
            admin, code=f"P-DISKOPUKM-{YEAR}", name="Bench", opd_code="DISKOPUKM",
            fiscal_year=YEAR,
        )  # fmt: skip
        path = root / "bench.xlsx"
        rows = write_workbook(path)
        operator = Actor("opd-diskopukm", OPD, "DISKOPUKM")

        started = time.perf_counter()
        result = import_spreadsheet(app, operator, path)
        elapsed = time.perf_counter() - started
        if not result.ok:
            msg = f"benchmark file refused: {result.refused[:3]}"
            raise RuntimeError(msg)

        started = time.perf_counter()
        again = import_spreadsheet(app, operator, path)
        repeat = time.perf_counter() - started
        app.close()

    report.add(SECTION, f"import of {rows:,} rows (XLSX, one transaction)", elapsed, "s",
               f"< {TARGET_SECONDS:g} s", elapsed < TARGET_SECONDS)  # fmt: skip
    report.add(SECTION, "import rate", rows / elapsed, "rows/s")
    report.add(SECTION, f"second import of the same file ({again.skipped:,} skipped)", repeat, "s")
