"""Text that a spreadsheet program would run, written so that it is only ever text.

OWASP's CSV-injection guidance: a cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return may be read by Excel or LibreOffice as a formula (``=HYPERLINK(…)``,
``=WEBSERVICE(…)``, DDE). An OPD user types drivers, obstacles and follow-ups that division
staff later open in those programs, so every export neutralises them:

- **CSV**: such a cell is prefixed with a single quote (``'=1+1``), the guidance's own remedy;
  the csv module quotes the field when needed.
- **XLSX**: openpyxl stores a string that starts with ``=`` as a live formula. Such a cell is
  stored as a string (``data_type 's'``) with Excel's quote-prefix style, which is how Excel
  itself stores text typed after an apostrophe: shown as typed, never evaluated, not even
  after editing the cell. The text itself is unchanged, so a template filled in and imported
  again carries the same words.

Numbers, dates and empty cells are never touched: only ``str`` values are.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: object) -> bool:
    return isinstance(value, str) and value.startswith(TRIGGERS)


def csv_cell(value: Any) -> Any:
    """The value for a CSV cell: risky text prefixed with ``'``, anything else unchanged."""
    return "'" + value if is_risky(value) else value


def make_workbook_inert(workbook: Workbook) -> Workbook:
    """Turns every formula-looking text cell of every sheet into plain, quote-prefixed text.

    monev writes no formulas into cells (validation lists are defined names, not cells), so
    every such cell is data that came from somebody's typing.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if is_risky(cell.value) or cell.data_type == "f":
                    text = str(cell.value)
                    cell.value = text
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return workbook
