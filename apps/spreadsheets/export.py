"""Exports from the published warehouse: any quarterly mart, and the Permendagri 86 form.

Everything is read from ``$MONEV_HOME/warehouse.duckdb`` opened read-only, the file each refresh
replaces whole, never from the event store: what is exported is exactly what the dashboard and
the analysts see, with the same "data as of" moment.

The dashboard's downloads call ``mart_bytes`` and ``evaluation_form_bytes`` (or
``build_evaluation_form`` for the workbook itself) with its own read-only connection; the CLI
calls ``export_mart`` and ``export_form``, which open the file and write next to the user.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from apps.spreadsheets.inert import csv_cell, make_workbook_inert
from domain.errors import InvalidInputError, MonevError, NotFoundError
from domain.quarters import ROMAN, Quarter
from domain.rules import normalise_code

FORMATS = ("csv", "xlsx", "parquet")
MARTS_SCHEMA = "marts"

HEADER_FILL = PatternFill("solid", fgColor="1F5C3A")
PROGRAM_FILL = PatternFill("solid", fgColor="E2EFDA")
TOTAL_FILL = PatternFill("solid", fgColor="D9D9D9")
WHITE_BOLD = Font(bold=True, color="FFFFFF")
BOLD = Font(bold=True)
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
RP_FORMAT = "#,##0"
PCT_FORMAT = "0.00"
K_FORMAT = "#,##0.##"


class WarehouseError(MonevError):
    """The published warehouse is missing or lacks what the export needs."""


@contextmanager
def open_warehouse(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The published file, read-only: readers never block the refresh that replaces it."""
    if not path.is_file():
        msg = f"The warehouse {path} does not exist yet; run `monev refresh` first."
        raise WarehouseError(msg)
    try:
        connection = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        msg = f"The warehouse {path} cannot be opened: {error}."
        raise WarehouseError(msg) from None
    try:
        yield connection
    finally:
        connection.close()


def data_as_of(connection: duckdb.DuckDBPyConnection) -> str:
    """The published file's "data as of" stamp (``main.warehouse_meta``), in UTC.

    A file without the stamp (made by hand, or by an older refresh) falls back to the file's
    time, since each refresh replaces the file whole.
    """
    if "data_as_of" in _columns(connection, "main", "warehouse_meta"):
        row = connection.execute("select data_as_of from main.warehouse_meta limit 1").fetchone()
        if row and isinstance(row[0], datetime):
            moment = row[0] if row[0].tzinfo else row[0].replace(tzinfo=UTC)
            return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    row = connection.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    if row and row[0] and Path(row[0]).is_file():
        stamp = datetime.fromtimestamp(Path(row[0]).stat().st_mtime, tz=UTC)
        return stamp.strftime("%Y-%m-%d %H:%M UTC")
    return ""


def fingerprint_note(connection: duckdb.DuckDBPyConnection) -> str:
    """``fingerprint <64 hex> at position N``: the event history the file was built from
    (docs/fingerprint.md), for every export to carry; "" for a file stamped before it."""
    if "fingerprint" not in _columns(connection, "main", "warehouse_meta"):
        return ""
    row = connection.execute(
        "select fingerprint, last_position from main.warehouse_meta limit 1"
    ).fetchone()
    if not row or not row[0]:
        return ""
    return f"sidik jari / fingerprint {row[0]} (posisi / position {int(row[1])})"


def _stamp_workbook(workbook: Workbook, sheet: Any, note: str) -> None:
    """The fingerprint in the file's properties and in the printed footer of ``sheet``."""
    if not note:
        return
    workbook.properties.description = f"monev: {note}"
    sheet.oddFooter.left.text = note
    sheet.oddFooter.left.size = 7


# -- marts ----------------------------------------------------------------------------------


def mart_names(connection: duckdb.DuckDBPyConnection) -> list[str]:
    rows = connection.execute(
        "select table_name from information_schema.tables where table_schema = ? "
        "order by table_name",
        [MARTS_SCHEMA],
    ).fetchall()
    return [r[0] for r in rows]


def _columns(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    rows = connection.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    return [r[0] for r in rows]


def mart_table(
    connection: duckdb.DuckDBPyConnection, mart: str, quarter: str | None = None
) -> pa.Table:
    """A mart's rows, of one quarter when given and the mart is quarterly.

    A mart without a ``quarter`` column (recommendations, joint activities) is exported whole:
    its rows already say which quarters they concern.
    """
    name = mart.strip().lower()
    available = mart_names(connection)
    if name not in available:
        msg = f"'{mart}' is not a mart; the marts are: {', '.join(available) or 'none yet'}."
        raise NotFoundError(msg)
    sql = f'select * from {MARTS_SCHEMA}."{name}"'
    params: list[Any] = []
    columns = _columns(connection, MARTS_SCHEMA, name)
    if quarter and "quarter" in columns:
        sql += " where quarter = ?"
        params.append(Quarter.parse(quarter).code)
    order = [c for c in ("quarter", *columns[:1]) if c in columns]
    if order:
        sql += " order by " + ", ".join(f'"{c}"' for c in dict.fromkeys(order))
    return connection.sql(sql, params=params).to_arrow_table()


def mart_bytes(
    connection: duckdb.DuckDBPyConnection, mart: str, quarter: str | None, file_format: str
) -> bytes:
    """A mart as a CSV, XLSX or Parquet file's bytes (the dashboard's download button)."""
    file_format = file_format.strip().lower()
    if file_format not in FORMATS:
        msg = f"Format '{file_format}' is not one of: {', '.join(FORMATS)}."
        raise InvalidInputError(msg)
    table = mart_table(connection, mart, quarter)
    buffer = io.BytesIO()
    if file_format == "parquet":
        note = fingerprint_note(connection)
        if note:  # in the file's key-value metadata, where Parquet keeps such notes
            table = table.replace_schema_metadata(
                {
                    **(table.schema.metadata or {}),
                    b"monev": f"data as of {data_as_of(connection)}; {note}".encode(),
                }
            )
        pq.write_table(table, buffer)
    elif file_format == "csv":
        _write_csv(table, buffer, data_as_of(connection), fingerprint_note(connection))
    else:
        workbook = _mart_workbook(table, mart, quarter, data_as_of(connection))
        note = fingerprint_note(connection)
        if note:
            workbook["Keterangan"].append(["Sidik jari / fingerprint", note])
        _stamp_workbook(workbook, workbook.worksheets[0], note)
        workbook.save(buffer)
    return buffer.getvalue()


def export_mart(
    warehouse: Path,
    mart: str,
    quarter: str | None,
    file_format: str,
    output: Path | None = None,
) -> Path:
    """Writes a mart to a file; returns its path (default: ``<mart>[-<quarter>].<format>``)."""
    with open_warehouse(warehouse) as connection:
        data = mart_bytes(connection, mart, quarter, file_format)
    suffix = f"-{Quarter.parse(quarter).code}" if quarter else ""
    path = output or Path(f"{mart.strip().lower()}{suffix}.{file_format.strip().lower()}")
    _write(path, data)
    return path


def _write_csv(table: pa.Table, buffer: io.BytesIO, as_of: str = "", note: str = "") -> None:
    """Plain CSV for tools: UTF-8, comma, dot decimals, ISO dates, empty for null.

    A stamped warehouse's CSV starts with one comment line (``# monev: …``) naming the data's
    moment and fingerprint; tools skip it with their comment option (pandas: ``comment="#"``).
    """
    text = io.StringIO(newline="")
    if note:
        text.write(f"# monev: data per / data as of {as_of}; {note}\n")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([csv_cell(name) for name in table.column_names])
    for row in table.to_pylist():
        writer.writerow([_csv_value(v) for v in row.values()])
    buffer.write(text.getvalue().encode("utf-8"))


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return csv_cell(";".join(str(v) for v in value))
    if isinstance(value, datetime):
        return value.isoformat()
    return csv_cell(value)


def _mart_workbook(table: pa.Table, mart: str, quarter: str | None, as_of: str) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = mart[:31]
    sheet.append(table.column_names)
    for cell in sheet[1]:
        cell.font = WHITE_BOLD
        cell.fill = HEADER_FILL
    for row in table.to_pylist():
        sheet.append([_xlsx_value(v) for v in row.values()])
    for index, name in enumerate(table.column_names, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, min(40, len(name) + 2))
        number_format = _number_format(name)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "B2"
    notes = workbook.create_sheet("Keterangan")
    notes.append(["Mart", f"{MARTS_SCHEMA}.{mart}"])
    notes.append(["Triwulan / quarter", Quarter.parse(quarter).label if quarter else "semua / all"])
    notes.append(["Data per / data as of", as_of])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 40
    return make_workbook_inert(workbook)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, dict):
        return str(value)
    return value


def _number_format(column: str) -> str | None:
    if column.endswith("_rp"):
        return RP_FORMAT
    if column.endswith("_pct"):
        return PCT_FORMAT
    return None


# -- the Permendagri 86 evaluation form ------------------------------------------------------


@dataclass(frozen=True)
class _FormColumn:
    key: str
    width: float
    number_format: str | None = None


# The form's columns, left to right; K = kinerja (the output indicator), Rp = anggaran.
FORM_COLUMNS: tuple[_FormColumn, ...] = (
    _FormColumn("no", 6),
    _FormColumn("code", 16),
    _FormColumn("name", 36),
    _FormColumn("indicator", 26),
    _FormColumn("unit", 10),
    _FormColumn("target_k", 10, K_FORMAT),
    _FormColumn("target_rp", 16, RP_FORMAT),
    *(
        _FormColumn(f"{key}{n}", 10 if key == "k" else 15, K_FORMAT if key == "k" else RP_FORMAT)
        for n in range(1, 5)
        for key in ("k", "rp")
    ),
    _FormColumn("cumulative_k", 11, K_FORMAT),
    _FormColumn("cumulative_rp", 16, RP_FORMAT),
    _FormColumn("achievement_k", 10, PCT_FORMAT),
    _FormColumn("achievement_rp", 10, PCT_FORMAT),
    _FormColumn("band", 14),
    _FormColumn("drivers", 28),
    _FormColumn("obstacles", 28),
    _FormColumn("follow_up", 32),
)
COLUMN = {c.key: i for i, c in enumerate(FORM_COLUMNS, start=1)}
RP_KEYS = ("target_rp", "rp1", "rp2", "rp3", "rp4", "cumulative_rp")
HEADER_ROW = 7
FIRST_ROW = HEADER_ROW + 3  # two header rows, then the row of column numbers


@dataclass
class FormTotals:
    """The form's bottom lines, as written into the workbook (the test compares them)."""

    pagu_rp: int
    realisation_rp: tuple[int, int, int, int]
    cumulative_rp: int
    absorption_pct: float | None
    average_achievement_pct: float | None
    band: str | None
    activities: int


def build_evaluation_form(
    connection: duckdb.DuckDBPyConnection, opd_code: str, quarter: str
) -> Workbook:
    """The OPD's evaluation form for a quarter (Permendagri 86/2017, evaluasi hasil Renja).

    One row per activity the OPD had to report on in the quarter (its active activities and
    the joint activities it leads, as ``marts.opd_quarter`` counts them), grouped by program
    with the programs' money subtotals; realisation per triwulan I to IV up to the quarter,
    cumulative realisation, achievement and band from ``marts.activity_quarter``; the OPD's
    totals, average achievement and band from ``marts.opd_quarter``, so the form and the
    dashboard never disagree.
    """
    workbook, _ = _evaluation_form(connection, opd_code, quarter)
    return make_workbook_inert(workbook)


def evaluation_form_bytes(
    connection: duckdb.DuckDBPyConnection, opd_code: str, quarter: str
) -> bytes:
    buffer = io.BytesIO()
    build_evaluation_form(connection, opd_code, quarter).save(buffer)
    return buffer.getvalue()


def form_file_name(opd_code: str, quarter: str) -> str:
    return f"evaluasi-renja-{opd_code.strip().upper()}-{Quarter.parse(quarter).code}.xlsx"


def export_form(warehouse: Path, opd_code: str, quarter: str, output: Path | None = None) -> Path:
    with open_warehouse(warehouse) as connection:
        data = evaluation_form_bytes(connection, opd_code, quarter)
    path = output or Path(form_file_name(opd_code, quarter))
    _write(path, data)
    return path


def _evaluation_form(
    connection: duckdb.DuckDBPyConnection, opd_code: str, quarter: str
) -> tuple[Workbook, FormTotals]:
    q = Quarter.parse(quarter)
    opd = normalise_code(opd_code, "OPD")
    for mart in ("activity_quarter", "opd_quarter"):
        if mart not in mart_names(connection):
            msg = f"The warehouse has no marts.{mart} yet; run `monev refresh`."
            raise WarehouseError(msg)
    summary = _one(
        connection,
        "select opd_name, pagu_rp, financial_realisation_rp, absorption_pct, "
        "average_achievement_pct, band, activity_count "
        "from marts.opd_quarter where opd_code = ? and quarter = ?",
        [opd, q.code],
    )
    if summary is None:
        msg = f"The warehouse has no {q.label} for OPD '{opd}' (is it registered and refreshed?)."
        raise NotFoundError(msg)
    activities = _dicts(
        connection,
        "select * from marts.activity_quarter "
        "where opd_code = ? and quarter = ? and is_active order by program_code, activity_code",
        [opd, q.code],
    )
    codes = [a["activity_code"] for a in activities]
    by_quarter = _realisation_by_quarter(connection, codes, q)
    programs = _program_names(connection, {a["program_code"] for a in activities})
    follow_ups = _follow_ups(connection, opd, q)

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Evaluasi Renja"
    _form_heading(sheet, str(summary["opd_name"] or opd), opd, q, data_as_of(connection))
    _form_header(sheet, q)

    row = FIRST_ROW
    quarter_sums = [0, 0, 0, 0]
    program_codes = dict.fromkeys(a["program_code"] for a in activities)
    for program_number, program_code in enumerate(program_codes, start=1):
        members = [a for a in activities if a["program_code"] == program_code]
        program_row = row
        _put(sheet, row, no=str(program_number), code=program_code,
             name=programs.get(program_code, program_code))  # fmt: skip
        row += 1
        sums = dict.fromkeys(RP_KEYS, 0)
        for number, activity in enumerate(members, start=1):
            values = _activity_values(activity, by_quarter.get(activity["activity_code"], {}), q)
            values["no"] = f"{program_number}.{number}"
            values["follow_up"] = "\n".join(follow_ups.get(activity["activity_code"], []))
            _put(sheet, row, **values)
            for key in RP_KEYS:
                sums[key] += int(values.get(key) or 0)
            row += 1
        for n in range(1, q.number + 1):
            quarter_sums[n - 1] += sums[f"rp{n}"]
        program_values: dict[str, Any] = {
            "target_rp": sums["target_rp"],
            **{f"rp{n}": sums[f"rp{n}"] for n in range(1, q.number + 1)},
            "cumulative_rp": sums["cumulative_rp"],
            "achievement_rp": _pct(sums["cumulative_rp"], sums["target_rp"]),
        }
        _put(sheet, program_row, **program_values)
        _style_row(sheet, program_row, BOLD, PROGRAM_FILL)

    totals = FormTotals(
        pagu_rp=int(summary["pagu_rp"] or 0),
        realisation_rp=(quarter_sums[0], quarter_sums[1], quarter_sums[2], quarter_sums[3]),
        cumulative_rp=int(summary["financial_realisation_rp"] or 0),
        absorption_pct=summary["absorption_pct"],
        average_achievement_pct=summary["average_achievement_pct"],
        band=summary["band"],
        activities=int(summary["activity_count"] or 0),
    )
    _put(sheet, row, name="Jumlah / total", target_rp=totals.pagu_rp,
         **{f"rp{n}": quarter_sums[n - 1] for n in range(1, q.number + 1)},
         cumulative_rp=totals.cumulative_rp, achievement_rp=totals.absorption_pct)  # fmt: skip
    _style_row(sheet, row, BOLD, TOTAL_FILL)
    row += 1
    _put(sheet, row, name="Rata-rata capaian kinerja / average achievement",
         achievement_k=totals.average_achievement_pct, band=totals.band)  # fmt: skip
    _style_row(sheet, row, BOLD, TOTAL_FILL)
    general = [f"Rekomendasi rakor untuk OPD / for the agency: {line}" for line in
               follow_ups.get(None, [])]  # fmt: skip
    _form_notes(sheet, row + 2, [*_band_notes(connection), *general])
    _form_page_setup(sheet, row)
    _stamp_workbook(workbook, sheet, fingerprint_note(connection))
    return workbook, totals


def _activity_values(
    activity: dict[str, Any], quarters: dict[int, dict[str, Any]], q: Quarter
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": activity["activity_code"],
        "name": activity["activity_name"]
        + (" (kegiatan gabungan / joint activity)" if activity.get("is_joint") else ""),
        "indicator": activity["indicator_name"],
        "unit": activity["indicator_unit"],
        "target_k": activity["annual_target"],
        "target_rp": int(activity["pagu_rp"] or 0),
        "cumulative_k": activity["indicator_actual"],
        "cumulative_rp": int(activity["financial_realisation_rp"] or 0),
        "achievement_k": activity["achievement_pct"],
        "achievement_rp": activity["absorption_pct"],
        "band": activity["band"],
        "drivers": activity.get("drivers") or "",
        "obstacles": activity.get("obstacles") or "",
    }
    for n in range(1, q.number + 1):
        reported = quarters.get(n, {})
        values[f"k{n}"] = reported.get("indicator_value")
        spent = reported.get("financial_rp")
        values[f"rp{n}"] = None if spent is None else int(spent)  # no report: left blank
    return values


def _realisation_by_quarter(
    connection: duckdb.DuckDBPyConnection, codes: Sequence[str], q: Quarter
) -> dict[str, dict[int, dict[str, Any]]]:
    """Each activity's reported K and Rp per triwulan of the year, up to the quarter.

    A joint activity's triwulan before its merge shows what the merged activities spent then
    (their K is in other units, so it stays blank): ``marts.activity_quarter`` counts that money
    in the joint activity's cumulative realisation, and so the row adds up to it.
    """
    if not codes:
        return {}
    rows = _dicts(
        connection,
        "select activity_code, triwulan, indicator_value, financial_rp "
        "from marts.activity_quarter where fiscal_year = ? and triwulan <= ? "
        "and activity_code in (select unnest(?::varchar[]))",
        [q.year, q.number, list(codes)],
    )
    result: dict[str, dict[int, dict[str, Any]]] = {}
    for r in rows:
        result.setdefault(r["activity_code"], {})[int(r["triwulan"])] = r
    merged = _dicts(
        connection,
        "select merged_into_code as activity_code, triwulan, sum(financial_rp) as financial_rp "
        "from marts.activity_quarter where fiscal_year = ? and triwulan <= ? and is_active "
        "and merged_into_code in (select unnest(?::varchar[])) "
        "group by merged_into_code, triwulan",
        [q.year, q.number, list(codes)],
    )
    for r in merged:
        quarters = result.setdefault(r["activity_code"], {})
        if int(r["triwulan"]) not in quarters:
            quarters[int(r["triwulan"])] = {"indicator_value": None, **r}
    return result


def _program_names(connection: duckdb.DuckDBPyConnection, codes: set[str]) -> dict[str, str]:
    """Program names, where the warehouse has them; the form falls back to the code."""
    for schema, table, code, name in (
        (MARTS_SCHEMA, "programs", "program_code", "program_name"),
        ("staging", "stg_events__programs_registered", "program_code", "program_name"),
    ):
        columns = _columns(connection, schema, table)
        if code in columns and name in columns:
            rows = connection.execute(
                f'select "{code}", "{name}" from {schema}."{table}"'
            ).fetchall()
            return {str(c): str(n) for c, n in rows if c in codes}
    return {}


def _follow_ups(
    connection: duckdb.DuckDBPyConnection, opd: str, q: Quarter
) -> dict[str | None, list[str]]:
    """The OPD's recommendations issued up to the quarter, by activity, with their state then.

    ``marts.recommendations`` reads status at the latest quarter on record, so the state at the
    form's quarter is worked out from its quarters: done if it was done by then, overdue if
    its due quarter had passed, else open; the latest progress is shown only if it was
    reported by then. Recommendations about no activity are listed under ``None``.
    """
    if "recommendations" not in mart_names(connection):
        return {}
    rows = _dicts(
        connection,
        "select recommendation_code, recommendation_text, activity_code, due_quarter, "
        "done_quarter, last_follow_up_quarter, last_progress from marts.recommendations "
        "where opd_code = ? and issued_quarter <= ? order by recommendation_code",
        [opd, q.code],
    )
    result: dict[str | None, list[str]] = {}
    for r in rows:
        if r["done_quarter"] and r["done_quarter"] <= q.code:
            state = "selesai / done"
        elif r["due_quarter"] < q.code:
            state = "terlambat / overdue"
        else:
            state = "berjalan / open"
        line = f"{r['recommendation_code']}: {r['recommendation_text']} [{state}]"
        if (
            r["last_progress"]
            and r["last_follow_up_quarter"]
            and (r["last_follow_up_quarter"] <= q.code)
        ):
            line += f" — {r['last_progress']}"
        result.setdefault(r["activity_code"], []).append(line)
    return result


def _band_notes(connection: duckdb.DuckDBPyConnection) -> list[str]:
    columns = _columns(connection, "reference", "performance_bands")
    if not {"band", "min_achievement_pct", "max_achievement_pct"} <= set(columns):
        return []
    rows = connection.execute(
        "select band, min_achievement_pct, max_achievement_pct from reference.performance_bands "
        "order by band_rank desc"
    ).fetchall()
    parts = []
    for band, low, high in rows:
        if low is None:
            parts.append(f"{band} < {high:g}%")
        elif high is None:
            parts.append(f"{band} ≥ {low:g}%")
        else:
            parts.append(f"{band} {low:g}% s.d. < {high:g}%")
    return ["Predikat (Permendagri 86/2017): " + "; ".join(parts) + "."]


# -- form layout ----------------------------------------------------------------------------


def _form_heading(sheet: Any, opd_name: str, opd: str, q: Quarter, as_of: str) -> None:
    last = get_column_letter(len(FORM_COLUMNS))
    lines = (
        "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH",
        "Permendagri Nomor 86 Tahun 2017 — Pemerintah Kabupaten Pasuruan",
        f"Perangkat Daerah: {opd_name} ({opd})",
        f"Periode pelaksanaan: {q.label} (evaluation of {q.label_en})",
        f"Data per / data as of: {as_of}" if as_of else "",
    )
    for row, text in enumerate(lines, start=1):
        sheet.cell(row, 1, text or None)
        sheet.merge_cells(f"A{row}:{last}{row}")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet["A2"].alignment = Alignment(horizontal="center")


def _form_header(sheet: Any, q: Quarter) -> None:
    top, sub = HEADER_ROW, HEADER_ROW + 1
    singles = {
        "no": "No",
        "code": "Kode",
        "name": "Program / Kegiatan",
        "indicator": "Indikator Kinerja Program (outcome) / Kegiatan (output)",
        "unit": "Satuan",
        "band": "Predikat Kinerja",
        "drivers": "Faktor Pendorong",
        "obstacles": "Faktor Penghambat",
        "follow_up": "Tindak Lanjut (rekomendasi rakor)",
    }
    for key, label in singles.items():
        column = COLUMN[key]
        sheet.cell(top, column, label)
        sheet.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
    pairs = {
        "target": "Target Kinerja dan Anggaran Tahun " + str(q.year),
        **{f"q{n}": f"Realisasi Triwulan {ROMAN[n - 1]}" for n in range(1, 5)},
        "cumulative": f"Realisasi Kinerja dan Anggaran s.d. {q.label}",
        "achievement": f"Tingkat Capaian s.d. {q.label} (%)",
    }
    starts = {
        "target": COLUMN["target_k"],
        **{f"q{n}": COLUMN[f"k{n}"] for n in range(1, 5)},
        "cumulative": COLUMN["cumulative_k"],
        "achievement": COLUMN["achievement_k"],
    }
    for key, label in pairs.items():
        column = starts[key]
        sheet.cell(top, column, label)
        sheet.merge_cells(start_row=top, start_column=column, end_row=top, end_column=column + 1)
        sheet.cell(sub, column, "K")
        sheet.cell(sub, column + 1, "Rp")
    for index in range(1, len(FORM_COLUMNS) + 1):
        sheet.cell(sub + 1, index, index)
        for row in (top, sub, sub + 1):
            cell = sheet.cell(row, index)
            cell.font = WHITE_BOLD if row < sub + 1 else Font(italic=True, size=8)
            if row < sub + 1:
                cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = BOX
        sheet.column_dimensions[get_column_letter(index)].width = FORM_COLUMNS[index - 1].width
    sheet.row_dimensions[top].height = 48
    sheet.freeze_panes = sheet.cell(FIRST_ROW, COLUMN["indicator"]).coordinate


def _put(sheet: Any, row: int, **values: Any) -> None:
    for column in FORM_COLUMNS:
        cell = sheet.cell(row, COLUMN[column.key])
        if column.key in values and values[column.key] not in (None, ""):
            value = values[column.key]
            cell.value = float(value) if column.number_format == PCT_FORMAT else value
        if column.number_format:
            cell.number_format = column.number_format
        cell.border = BOX
        cell.alignment = Alignment(vertical="top", wrap_text=column.key in (
            "name", "indicator", "drivers", "obstacles", "follow_up"))  # fmt: skip


def _style_row(sheet: Any, row: int, font: Font, fill: PatternFill) -> None:
    for index in range(1, len(FORM_COLUMNS) + 1):
        cell = sheet.cell(row, index)
        cell.font = font
        cell.fill = fill


def _form_notes(sheet: Any, row: int, extra: list[str]) -> None:
    notes = [
        "Keterangan: K = kinerja (indikator keluaran), Rp = anggaran (rupiah).",
        "Realisasi Rp per triwulan adalah belanja dalam triwulan itu; kumulatif adalah "
        "jumlahnya s.d. triwulan evaluasi. Capaian K: realisasi s.d. triwulan terhadap target "
        "s.d. triwulan; capaian Rp: realisasi kumulatif terhadap pagu.",
        *extra,
    ]
    for offset, text in enumerate(notes):
        sheet.cell(row + offset, 1, text).font = Font(italic=True, size=9)


def _form_page_setup(sheet: Any, last_row: int) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 2}"
    sheet.print_area = f"A1:{get_column_letter(len(FORM_COLUMNS))}{last_row}"


# -- small helpers ----------------------------------------------------------------------------


def _dicts(
    connection: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any]
) -> list[dict[str, Any]]:
    cursor = connection.execute(sql, list(params))
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _one(
    connection: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any]
) -> dict[str, Any] | None:
    rows = _dicts(connection, sql, params)
    return rows[0] if rows else None


def _pct(numerator: float, denominator: float) -> float | None:
    return None if not denominator else 100.0 * numerator / denominator


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as error:
        msg = f"Cannot write {path}: {error.strerror or error}."
        raise MonevError(msg) from None
