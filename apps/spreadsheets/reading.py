"""Reading what offices actually send: XLSX workbooks and CSV files in their encodings.

The result is plain rows of cell values with the row number a person sees in Excel, one
``Sheet`` per worksheet (a CSV file is one sheet). What a column means is decided later, from its
header (``rows.py``), so nothing here knows about activities or evaluations.

Kinds of file are told apart by their first bytes, not their name: an ``.xlsx`` renamed ``.csv``
still opens, and a PDF named ``.xlsx`` gets one clear sentence instead of a traceback.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from openpyxl import load_workbook

from domain.errors import MonevError

MAX_BYTES = 50 * 2**20
CSV_SEPARATORS = (";", ",", "\t")
HOW_TO = "save it as an Excel workbook (.xlsx) or CSV and import again"

CellValue = str | int | float | None
ReadProgress = Callable[[int, int], None]  # rows read, rows in the file (an estimate)
PROGRESS_EVERY = 500


class ImportFileError(MonevError):
    """The file cannot be read as a spreadsheet at all; nothing was stored."""


@dataclass(frozen=True)
class PercentCell:
    """A cell Excel shows as a percentage: it holds 0.6 for 60%.

    Kept apart from plain numbers because only a percentage column may multiply it by 100.
    """

    fraction: float

    @property
    def percent(self) -> float:
        return self.fraction * 100

    def __str__(self) -> str:
        return f"{self.percent:g}%"


@dataclass
class Sheet:
    """One worksheet (or the whole CSV file): rows numbered as Excel numbers them."""

    name: str
    rows: list[tuple[int, list[CellValue | PercentCell]]] = field(default_factory=list)


def read_spreadsheet(
    source: Path | bytes | BinaryIO,
    filename: str | None = None,
    progress: ReadProgress | None = None,
) -> list[Sheet]:
    """Reads every sheet of an XLSX workbook, or the one table of a CSV file.

    ``source`` is a path or the uploaded bytes (the dashboard passes what the browser sent);
    ``filename`` only names the file in messages. Reading a large workbook takes seconds, so
    ``progress`` hears how far it got.
    """
    data, name = _load(source, filename)
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, name, progress)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        msg = (
            f"'{name}' is an old Excel 97-2003 (.xls) file or a password-protected workbook; "
            f"remove any password, {HOW_TO}."
        )
        raise ImportFileError(msg)
    for signature, kind in (
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "an image"),
        (b"\xff\xd8", "an image"),
    ):
        if data.startswith(signature):
            msg = f"'{name}' is {kind}, not a spreadsheet; {HOW_TO}."
            raise ImportFileError(msg)
    return [_read_csv(_decode(data, name), name)]


def _load(source: Path | bytes | BinaryIO, filename: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        data, name = source, filename or "upload"
    elif isinstance(source, Path | str):
        path = Path(source)
        name = filename or path.name
        if not path.is_file():
            msg = f"File '{path}' does not exist."
            raise ImportFileError(msg)
        if path.stat().st_size > MAX_BYTES:
            msg = f"'{name}' is larger than {MAX_BYTES // 2**20} MB; split it into smaller files."
            raise ImportFileError(msg)
        data = path.read_bytes()
    else:
        data = source.read(MAX_BYTES + 1)
        name = filename or str(getattr(source, "name", "upload"))
    if len(data) > MAX_BYTES:
        msg = f"'{name}' is larger than {MAX_BYTES // 2**20} MB; split it into smaller files."
        raise ImportFileError(msg)
    if not data.strip():
        msg = f"'{name}' is empty."
        raise ImportFileError(msg)
    return data, str(name)


# -- XLSX ---------------------------------------------------------------------------------


def _read_xlsx(data: bytes, name: str, progress: ReadProgress | None) -> list[Sheet]:
    """Read-only mode streams the rows instead of building the whole workbook in memory."""
    if _is_opendocument(data):
        msg = f"'{name}' is an OpenDocument (.ods) spreadsheet; {HOW_TO}."
        raise ImportFileError(msg)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # any failure to parse an upload is the file's fault
        msg = f"'{name}' is not a readable Excel workbook ({_short(error)}); {HOW_TO}."
        raise ImportFileError(msg) from None
    sheets: list[Sheet] = []
    try:
        total = sum(ws.max_row or 0 for ws in workbook.worksheets)
        read = 0
        for worksheet in workbook.worksheets:
            sheet = Sheet(worksheet.title)
            for row in worksheet.iter_rows():
                values = [_xlsx_value(cell) for cell in row]
                if any(v not in (None, "") for v in values):
                    sheet.rows.append((row[0].row, values))
                read += 1
                if progress is not None and read % PROGRESS_EVERY == 0:
                    progress(read, max(total, read))
            sheets.append(sheet)
        if progress is not None:
            progress(read, read)
    except Exception as error:  # as above: a damaged sheet, not a bug of ours
        msg = f"'{name}' is a damaged Excel workbook ({_short(error)}); {HOW_TO}."
        raise ImportFileError(msg) from None
    finally:
        workbook.close()
    return sheets


def _is_opendocument(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _xlsx_value(cell: object) -> CellValue | PercentCell:
    value = getattr(cell, "value", None)
    if value is None:
        return None
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int | float):
        number_format = str(getattr(cell, "number_format", "") or "")
        if "%" in number_format:
            return PercentCell(float(value))
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    text = str(value).strip()
    return text or None


# -- CSV ----------------------------------------------------------------------------------


def _decode(data: bytes, name: str) -> str:
    """UTF-8 first (with or without BOM), UTF-16 when Excel saved "Unicode Text", else the
    Windows code page Indonesian Excel uses for "CSV (comma delimited)": Windows-1252.

    Windows-1252 leaves five bytes undefined; a file holding them is read as Latin-1, which
    agrees with 1252 on every letter an Indonesian text uses.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    elif data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    if "\x00" in text or _control_share(text) > 0.01:
        msg = f"'{name}' is not a spreadsheet (it holds binary data); {HOW_TO}."
        raise ImportFileError(msg)
    return text


def _control_share(text: str) -> float:
    sample = text[:20_000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls / max(1, len(sample))


def _read_csv(text: str, name: str) -> Sheet:
    lines = text.splitlines()
    separator = None
    first = next((line for line in lines if line.strip()), "")
    if first.lower().startswith("sep=") and len(first.strip()) == 5:
        separator = first.strip()[4]  # Excel's own hint line
        text = text[text.index(first) + len(first) :].lstrip("\r\n")
    separator = separator or _separator(text)
    sheet = Sheet(Path(name).stem or "CSV")
    try:
        for number, record in enumerate(_records(text, separator), start=1):
            values: list[CellValue | PercentCell] = [v.strip() or None for v in record]
            if any(v is not None for v in values):
                sheet.rows.append((number, values))
    except csv.Error as error:
        msg = f"'{name}' is not a valid CSV file ({_short(error)}); {HOW_TO}."
        raise ImportFileError(msg) from None
    if not sheet.rows:
        msg = f"'{name}' has no rows."
        raise ImportFileError(msg)
    return sheet


def _records(text: str, separator: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False)


def _separator(text: str) -> str:
    """The separator that splits the header into the most columns.

    The first non-empty lines are headers or titles, which hold no decimal commas, so counting
    fields there is reliable where counting characters in the data would not be: ``60,5`` in a
    ``;`` file has a comma too. A tie goes to ``;``, the separator of Indonesian Excel.
    """
    sample = [line for line in text.splitlines()[:10] if line.strip()][:5]
    best, best_fields = CSV_SEPARATORS[0], 1
    for candidate in CSV_SEPARATORS:
        fields = max(
            (len(next(_records(line, candidate), [])) for line in sample),
            default=1,
        )
        if fields > best_fields:
            best, best_fields = candidate, fields
    return best


def _short(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) <= 80 else text[:77] + "..."
