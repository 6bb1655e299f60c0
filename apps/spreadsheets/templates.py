"""XLSX templates an OPD fills in and sends back, pre-filled for that OPD where asked.

Each data sheet has its header in Bahasa Indonesia on row 1 and the machine names on a hidden
row 2, so the import recognises the columns whatever the header says after someone edits it;
data validation lists (kecamatan, quarter, known codes, indicator kinds) catch typos in Excel,
before the import would refuse them. The lists come from the event store itself, not the
warehouse, so a template made right after a registration already offers the new code.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from apps.spreadsheets.inert import make_workbook_inert
from apps.spreadsheets.rows import (
    ACTIVITIES,
    CODE,
    EVALUATIONS,
    FOLLOW_UPS,
    INDICATOR_KIND,
    KECAMATAN,
    MONEY,
    NUMBER,
    PERCENT,
    PROGRAMS,
    QUARTER,
    YEAR,
    YES_NO,
    Column,
    RowKind,
)
from domain.activities import Activity
from domain.agencies import Opd
from domain.application import Monev
from domain.errors import InvalidInputError, NotFoundError
from domain.kecamatan import all_kecamatan
from domain.programs import Program
from domain.quarters import Quarter
from domain.recommendations import Recommendation
from domain.rules import normalise_code

TEMPLATE_KINDS: dict[str, tuple[RowKind, ...]] = {
    "activities": (PROGRAMS, ACTIVITIES),
    "evaluations": (EVALUATIONS,),
    "followups": (FOLLOW_UPS,),
}
FILE_NAMES = {"activities": "kegiatan", "evaluations": "realisasi", "followups": "tindak-lanjut"}
DATA_ROWS = 2000  # rows that carry data validation below the header
FIRST_DATA_ROW = 3
LISTS = "Daftar"
PAGE = 5000

HEADER_FILL = PatternFill("solid", fgColor="1F5C3A")
INFO_FILL = PatternFill("solid", fgColor="D9D9D9")
HEADER_FONT = Font(bold=True, color="FFFFFF")
NUMBER_FORMATS = {MONEY: "#,##0", PERCENT: "0.0", NUMBER: "General", YEAR: "0"}


@dataclass
class ActivityInfo:
    code: str
    program_code: str
    opd_code: str
    name: str
    indicator_name: str
    unit: str
    kind: str
    fiscal_year: int
    pagu_rp: int
    annual_target: float
    quarterly_targets: tuple[float, ...]
    kecamatan_code: str | None
    participants: tuple[str, ...]
    merged_into: str | None = None
    evaluations: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Catalogue:
    """The codes a template offers, read from the event store's registrations."""

    opds: dict[str, str] = field(default_factory=dict)
    programs: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    activities: dict[str, ActivityInfo] = field(default_factory=dict)
    recommendations: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_store(cls, app: Monev, *, with_evaluations: bool = False) -> Catalogue:
        """Reads only the event types it needs, a page at a time, in store order."""
        topics = [
            Opd.Registered.TOPIC,
            Program.Registered.TOPIC,
            Activity.Registered.TOPIC,
            Activity.TargetsRevised.TOPIC,
            Activity.Merged.TOPIC,
            Activity.MergedInto.TOPIC,
            Recommendation.Issued.TOPIC,
            Recommendation.FollowedUp.TOPIC,
        ]
        if with_evaluations:
            topics += [Activity.EvaluationRecorded.TOPIC, Activity.EvaluationCorrected.TOPIC]
        catalogue = cls()
        codes: dict[Any, str] = {}
        start = 0
        while True:
            page = app.recorder.select_notifications(
                start, PAGE, topics=topics, inclusive_of_start=False
            )
            if not page:
                return catalogue
            for notification in page:
                catalogue._note(app.mapper.to_domain_event(notification), codes)
            start = page[-1].id

    def _note(self, event: Any, codes: dict[Any, str]) -> None:
        if isinstance(event, Opd.Registered):
            self.opds[event.code] = event.name
        elif isinstance(event, Program.Registered):
            self.programs[event.code] = (event.name, event.opd_code, event.fiscal_year)
        elif isinstance(event, Activity.Registered):
            codes[event.originator_id] = event.code
            self.activities[event.code] = ActivityInfo(
                code=event.code,
                program_code=event.program_code,
                opd_code=event.opd_code,
                name=event.name,
                indicator_name=event.indicator_name,
                unit=event.indicator_unit,
                kind=event.indicator_kind,
                fiscal_year=event.fiscal_year,
                pagu_rp=event.pagu_rp,
                annual_target=event.annual_target,
                quarterly_targets=tuple(event.quarterly_targets),
                kecamatan_code=event.kecamatan_code,
                participants=(event.opd_code,),
            )
        elif isinstance(event, Recommendation.Issued):
            codes[event.originator_id] = event.code
            self.recommendations[event.code] = {
                "opd_code": event.opd_code,
                "text": event.text,
                "due_quarter": event.due_quarter,
                "is_done": False,
            }
        elif isinstance(event, Recommendation.FollowedUp):
            self.recommendations[codes[event.originator_id]]["is_done"] = event.is_done
        else:
            activity = self.activities[codes[event.originator_id]]
            if isinstance(event, Activity.TargetsRevised):
                activity.pagu_rp = event.pagu_rp
                activity.annual_target = event.annual_target
                activity.quarterly_targets = tuple(event.quarterly_targets)
            elif isinstance(event, Activity.Merged):
                activity.participants = tuple(event.opd_codes)
            elif isinstance(event, Activity.MergedInto):
                activity.merged_into = event.joint_code
            elif isinstance(event, Activity.EvaluationRecorded | Activity.EvaluationCorrected):
                activity.evaluations[event.quarter] = {
                    "realisasi_fisik_pct": event.physical_pct,
                    "realisasi_keuangan_rp": event.financial_rp,
                    "realisasi_indikator": event.indicator_value,
                    "faktor_pendorong": event.drivers,
                    "faktor_penghambat": event.obstacles,
                }

    def years(self) -> list[int]:
        return sorted({year for _, _, year in self.programs.values()})


STEPS: tuple[tuple[str, str], ...] = (
    (
        "1. Isi satu baris per data mulai baris 3; jangan ubah baris judul.",
        "1. One row per record from row 3; keep the header row as it is.",
    ),
    (
        "2. Angka boleh ditulis cara Indonesia: 1.250.000 atau Rp 1.250.000,00; persen 60, "
        "60% atau 60,5.",
        "2. Numbers the Indonesian way: 1.250.000 or Rp 1.250.000,00; percent 60, 60% or 60,5.",
    ),
    (
        "3. Kolom abu-abu (info) hanya keterangan dan tidak diimpor.",
        "3. Grey (info) columns are for reference and are not imported.",
    ),
    (
        "4. Baris yang hanya berisi kode dan triwulan dianggap kosong dan dilewati.",
        "4. Rows with only the code and the quarter count as empty and are left out.",
    ),
    (
        "5. Impor: monev import FILE --dry-run (periksa), lalu monev import FILE.",
        "5. Import: monev import FILE --dry-run (check), then monev import FILE.",
    ),
    (
        "6. Semua atau tidak sama sekali: jika satu baris ditolak, tidak ada yang disimpan; "
        "laporan menyebut sheet, baris, kolom, nilai dan alasannya.",
        "6. All or nothing: if one row is refused nothing is stored; the report names sheet, "
        "row, column, value and reason.",
    ),
    (
        "7. Mengimpor file yang sama lagi tidak menyimpan apa pun (baris yang sudah tercatat "
        "dilewati).",
        "7. Importing the same file again stores nothing (rows already recorded are skipped).",
    ),
    (
        "8. Staf OPD hanya dapat mengisi data OPD-nya sendiri.",
        "8. OPD staff can only submit their own agency's records.",
    ),
)


def template_file_name(kind: str, opd: str | None = None, quarter: str | None = None) -> str:
    parts = ["templat", FILE_NAMES.get(kind, kind)]
    if opd:
        parts.append(opd.upper())
    if quarter:
        parts.append(Quarter.parse(quarter).code)
    return "-".join(parts) + ".xlsx"


def build_template(
    app: Monev, kind: str, *, opd: str | None = None, quarter: str | None = None
) -> Workbook:
    """The workbook of a template: data sheet(s), instructions, hidden lists.

    With ``opd`` the data sheet lists that agency's records (its programs and activities, its
    active activities to report on, its open recommendations); with ``quarter`` the quarter is
    filled in and so are the values already recorded for it, which a re-import then skips.
    """
    if kind not in TEMPLATE_KINDS:
        msg = f"'{kind}' is not a template: use activities, evaluations or followups."
        raise InvalidInputError(msg)
    q = Quarter.parse(quarter) if quarter else None
    catalogue = Catalogue.from_store(app, with_evaluations=q is not None)
    opd_code = normalise_code(opd, "OPD") if opd else None
    if opd_code and opd_code not in catalogue.opds:
        msg = f"OPD '{opd_code}' is not registered."
        raise NotFoundError(msg)
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    lists = _lists_sheet(workbook, catalogue, q)
    for row_kind in TEMPLATE_KINDS[kind]:
        sheet = _data_sheet(workbook, row_kind, lists)
        for values in _prefill(row_kind, catalogue, opd_code, q):
            sheet.append([values.get(c.key) for c in row_kind.columns])
        _format_rows(sheet, row_kind)
    _instructions(workbook, kind, opd_code, q)
    workbook.move_sheet(LISTS, offset=len(workbook.sheetnames))
    workbook.active = len(TEMPLATE_KINDS[kind]) - 1
    workbook.properties.title = f"monev: {FILE_NAMES[kind]}"
    workbook.properties.creator = "monev"
    return make_workbook_inert(workbook)


def template_bytes(
    app: Monev, kind: str, *, opd: str | None = None, quarter: str | None = None
) -> bytes:
    """The template as bytes, for the dashboard's download button."""
    buffer = io.BytesIO()
    build_template(app, kind, opd=opd, quarter=quarter).save(buffer)
    return buffer.getvalue()


# -- sheets ---------------------------------------------------------------------------------


@dataclass
class _Lists:
    """Where each validation list lives on the hidden sheet, as a formula."""

    ranges: dict[str, str] = field(default_factory=dict)


def _lists_sheet(workbook: Workbook, catalogue: Catalogue, q: Quarter | None) -> _Lists:
    sheet = workbook.create_sheet(LISTS)
    years = set(catalogue.years()) | ({q.year} if q else set()) or {date.today().year}
    columns: dict[str, tuple[str, list[str]]] = {
        KECAMATAN: ("Daftar kecamatan", [k.name for k in all_kecamatan()]),
        QUARTER: (
            "Daftar triwulan",
            [Quarter(y, n).code for y in sorted(years) for n in (1, 2, 3, 4)],
        ),
        "opd": ("Daftar OPD", sorted(catalogue.opds)),
        "program": ("Daftar program", sorted(catalogue.programs)),
        "activity": (
            "Daftar kegiatan",
            sorted(c for c, a in catalogue.activities.items() if not a.merged_into),
        ),
        "recommendation": (
            "Daftar rekomendasi",
            sorted(c for c, r in catalogue.recommendations.items() if not r["is_done"]),
        ),
        INDICATOR_KIND: ("Daftar jenis indikator", ["kumulatif", "inkremental"]),
        YES_NO: ("Daftar ya/tidak", ["ya", "tidak"]),
    }
    lists = _Lists()
    for index, (key, (title, values)) in enumerate(columns.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(1, index, title).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            sheet.cell(row, index, value)
        last = max(2, len(values) + 1)
        lists.ranges[key] = f"={quote_sheetname(LISTS)}!${letter}$2:${letter}${last}"
        sheet.column_dimensions[letter].width = 22
    sheet.sheet_state = "hidden"
    return lists


def _list_key(row_kind: RowKind, column: Column) -> str | None:
    if column.kind in (KECAMATAN, QUARTER, INDICATOR_KIND, YES_NO):
        return column.kind
    if column.kind == CODE:
        return {
            "kode_opd": "opd",
            "kode_program": "program" if row_kind is not PROGRAMS else None,
            "kode_kegiatan": "activity" if row_kind is EVALUATIONS else None,
            "kode_rekomendasi": "recommendation",
        }.get(column.key)
    return None


def _data_sheet(workbook: Workbook, row_kind: RowKind, lists: _Lists) -> Worksheet:
    sheet = workbook.create_sheet(row_kind.title)
    sheet.append([c.label for c in row_kind.columns])
    sheet.append([c.key for c in row_kind.columns])
    for index, column in enumerate(row_kind.columns, start=1):
        cell = sheet.cell(1, index)
        cell.font = HEADER_FONT if not column.info else Font(bold=True)
        cell.fill = HEADER_FILL if not column.info else INFO_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[1].height = 32
    sheet.row_dimensions[2].hidden = True  # machine names: what the import reads
    sheet.freeze_panes = f"B{FIRST_DATA_ROW}"
    last_row = FIRST_DATA_ROW + DATA_ROWS - 1
    for index, column in enumerate(row_kind.columns, start=1):
        if column.info:
            continue
        area = f"{get_column_letter(index)}{FIRST_DATA_ROW}:{get_column_letter(index)}{last_row}"
        validation = _validation(row_kind, column, lists)
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(area)
    return sheet


def _validation(row_kind: RowKind, column: Column, lists: _Lists) -> DataValidation | None:
    key = _list_key(row_kind, column)
    if key is not None:
        # Codes warn rather than stop: a new program on the Program sheet is not in the list
        # yet, and the domain is the judge of codes anyway.
        style = "warning" if column.kind == CODE else "stop"
        validation = DataValidation(
            type="list", formula1=lists.ranges[key], allow_blank=True, errorStyle=style
        )
    elif column.kind == PERCENT:
        validation = DataValidation(
            type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True
        )
    elif column.kind == MONEY:
        validation = DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
            errorStyle="warning",
        )  # fmt: skip
    else:
        return None
    validation.promptTitle = column.label[:32]
    validation.prompt = column.help[:255]
    validation.showInputMessage = True
    validation.errorTitle = column.label[:32]
    validation.error = f"{column.help} / {column.help_en}"[:255]
    validation.showErrorMessage = True
    return validation


def _format_rows(sheet: Worksheet, row_kind: RowKind) -> None:
    last = max(sheet.max_row, FIRST_DATA_ROW)
    for index, column in enumerate(row_kind.columns, start=1):
        number_format = NUMBER_FORMATS.get(column.kind)
        for row in range(FIRST_DATA_ROW, last + 1):
            cell = sheet.cell(row, index)
            if column.info:
                cell.fill = INFO_FILL
            if number_format:
                cell.number_format = number_format


def _prefill(
    row_kind: RowKind, catalogue: Catalogue, opd: str | None, q: Quarter | None
) -> Iterable[dict[str, Any]]:
    if row_kind is PROGRAMS and opd:
        for code, (name, owner, year) in sorted(catalogue.programs.items()):
            if owner == opd and (q is None or year == q.year):
                yield {"kode_program": code, "nama_program": name, "kode_opd": owner,
                       "tahun_anggaran": year}  # fmt: skip
    elif row_kind is ACTIVITIES and opd:
        for a in _activities_of(catalogue, opd, q, include_merged=True):
            if a.opd_code != opd:
                continue
            yield {
                "kode_kegiatan": a.code, "kode_program": a.program_code, "kode_opd": a.opd_code,
                "nama_kegiatan": a.name, "kecamatan": _kecamatan_name(a.kecamatan_code),
                "pagu_rp": a.pagu_rp, "indikator": a.indicator_name,
                "satuan": a.unit,
                "jenis_indikator": "kumulatif" if a.kind == "cumulative" else "inkremental",
                "target_tahunan": a.annual_target,
                **{f"target_tw{n}": a.quarterly_targets[n - 1] for n in range(1, 5)},
            }  # fmt: skip
    elif row_kind is EVALUATIONS and (opd or q):
        for a in _activities_of(catalogue, opd, q, include_merged=False):
            values = {
                "kode_kegiatan": a.code,
                "info_nama_kegiatan": a.name,
                "info_satuan": a.unit,
                "info_target_tw": a.quarterly_targets[q.number - 1] if q else None,
                "info_pagu_rp": a.pagu_rp,
                "triwulan": q.code if q else None,
            }
            if q and q.code in a.evaluations:
                values.update(a.evaluations[q.code])
            yield values
    elif row_kind is FOLLOW_UPS and opd:
        for code, r in sorted(catalogue.recommendations.items()):
            if r["opd_code"] == opd and not r["is_done"]:
                yield {
                    "kode_rekomendasi": code,
                    "info_rekomendasi": r["text"],
                    "info_batas": Quarter.parse(r["due_quarter"]).label,
                    "triwulan": q.code if q else None,
                }


def _activities_of(
    catalogue: Catalogue, opd: str | None, q: Quarter | None, *, include_merged: bool
) -> list[ActivityInfo]:
    return [
        a
        for _, a in sorted(catalogue.activities.items())
        if (opd is None or opd in a.participants)
        and (q is None or a.fiscal_year == q.year)
        and (include_merged or not a.merged_into)
    ]


def _kecamatan_name(code: str | None) -> str | None:
    if code is None:
        return None
    return next((k.name for k in all_kecamatan() if k.code == code), code)


def _instructions(workbook: Workbook, kind: str, opd: str | None, q: Quarter | None) -> None:
    sheet = workbook.create_sheet("Petunjuk")
    title = {
        "activities": "Program dan kegiatan / Programs and activities",
        "evaluations": "Realisasi triwulan / Quarterly realisation",
        "followups": "Tindak lanjut rekomendasi / Follow-up of recommendations",
    }[kind]
    scope = f"OPD: {opd}" if opd else "Semua OPD / all agencies"
    lines: list[Sequence[str]] = [
        (f"Templat impor monev: {title}",),
        (scope, f"{q.label} ({q.label_en})" if q else ""),
        (),
        ("Cara mengisi", "How to fill it in"),
        *STEPS,
        (),
    ]
    for line in lines:
        sheet.append(list(line))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A4"].font = Font(bold=True)
    for row_kind in TEMPLATE_KINDS[kind]:
        sheet.append([f"Sheet '{row_kind.title}' ({row_kind.title_en})"])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        header = ["Kolom", "Nama mesin / machine name", "Wajib / required", "Keterangan",
                  "Description", "Contoh / example"]  # fmt: skip
        sheet.append(header)
        for cell in sheet[sheet.max_row]:
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
        for column in row_kind.columns:
            sheet.append(
                [
                    column.label,
                    column.key,
                    "info" if column.info else ("ya / yes" if column.required else "tidak / no"),
                    column.help or "Keterangan, tidak diimpor.",
                    column.help_en or "For reference, not imported.",
                    column.example,
                ]
            )
        sheet.append([])
    for letter, width in zip("ABCDEF", (34, 26, 14, 60, 60, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
