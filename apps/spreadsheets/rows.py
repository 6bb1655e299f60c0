"""What the columns of a sheet mean, and how one row becomes one domain command.

A sheet is recognised by its header row, so the same code reads monev's own templates (Indonesian
labels plus a hidden row of machine names), a CSV someone typed with only the machine names, or
the English labels. Cells are only *parsed* here (Indonesian numbers, yes/no, the indicator kind
in Indonesian); whether a value is allowed is the domain's decision when the command runs, so
the rules live in one place and the messages are the ones the CLI and the dashboard show.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from apps import messages
from apps.spreadsheets.numbers import parse_number, parse_percent, parse_rupiah
from apps.spreadsheets.reading import CellValue, PercentCell
from domain.errors import InvalidInputError, MonevError, PermissionDeniedError

Value = CellValue | PercentCell

# Column value kinds: how a cell is parsed, and which data validation the template gives it.
TEXT, CODE, MONEY, PERCENT, NUMBER, QUARTER, KECAMATAN, INDICATOR_KIND, YES_NO, YEAR = (
    "text", "code", "money", "percent", "number", "quarter", "kecamatan", "indicator_kind",
    "yes_no", "year",
)  # fmt: skip

INDICATOR_KINDS = {
    "kumulatif": "cumulative",
    "cumulative": "cumulative",
    "inkremental": "incremental",
    "incremental": "incremental",
    "per triwulan": "incremental",
}
YES = {"ya", "y", "yes", "1", "true", "benar", "selesai", "sudah", "done"}
NO = {"tidak", "t", "no", "n", "0", "false", "salah", "belum", "-"}


@dataclass(frozen=True)
class Column:
    """One column: its machine name, its header in Bahasa Indonesia and English, how to read it.

    ``domain_names`` are the words the domain's messages use for this value ("Physical
    realisation"), so a refusal can be pinned to the column it is about.
    """

    key: str
    label: str
    label_en: str
    kind: str = TEXT
    required: bool = False
    help: str = ""
    help_en: str = ""
    example: str = ""
    width: int = 16
    domain_names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    info: bool = False  # shown in pre-filled templates for reference, ignored on import

    def names(self) -> set[str]:
        return {normalise_header(n) for n in (self.key, self.label, self.label_en, *self.aliases)}


@dataclass(frozen=True)
class RowCommand:
    """A row as the domain command it asks for: the service method and its arguments."""

    method: str
    kwargs: dict[str, Any]


@dataclass(frozen=True)
class RowKind:
    """A kind of sheet: its columns, the column that names whose record it is, its command."""

    name: str
    title: str  # the worksheet's name in the template
    title_en: str
    columns: tuple[Column, ...]
    owner_column: str
    build: Callable[[Mapping[str, Any]], RowCommand]

    @property
    def input_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.info)

    @property
    def required(self) -> set[str]:
        return {c.key for c in self.columns if c.required}

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class CellProblem:
    column: str
    value: str
    reason: str


@dataclass
class ParsedRow:
    """A data row read under a header: its values by column key, and what could not be read."""

    number: int
    values: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)


def normalise_header(text: object) -> str:
    """'Realisasi Fisik (%)' and 'realisasi_fisik' are the same column."""
    return re.sub(r"[^0-9a-z]+", "_", str(text).strip().lower()).strip("_")


def show(value: Value) -> str:
    return "" if value is None else str(value)


# -- reading cells ------------------------------------------------------------------------


def parse_cell(column: Column, value: str | int | float | PercentCell) -> Any:
    """The cell as the command's argument; raises InvalidInputError with a plain sentence."""
    what = column.label
    if isinstance(value, PercentCell):
        if column.kind in (PERCENT, NUMBER):
            return value.percent
        raise InvalidInputError(
            "{what}: '{value}' is a percentage, which this column is not.", what=what, value=value
        )
    if column.kind == MONEY:
        return parse_rupiah(value, what)
    if column.kind == PERCENT:
        return parse_percent(value, what)
    if column.kind == NUMBER:
        return parse_number(value, what)
    if column.kind == YEAR:
        year = parse_number(value, what)
        if not year.is_integer():
            raise InvalidInputError("{what}: '{value}' is not a year.", what=what, value=value)
        return int(year)
    if column.kind == YES_NO:
        text = str(value).strip().lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise InvalidInputError(
            "{what}: write 'ya' or 'tidak' (yes or no), not '{value}'.", what=what, value=value
        )
    if column.kind == INDICATOR_KIND:
        text = str(value).strip().lower()
        return INDICATOR_KINDS.get(text, text)  # anything else: the domain refuses it
    return str(value).strip()


def parse_row(
    kind: RowKind, number: int, cells: Mapping[str, Value], lang: str | None = None
) -> ParsedRow:
    """Reads the row's cells; every unreadable or missing required cell is one problem, worded
    in ``lang`` (default ``MONEV_LANG``, else Indonesian)."""
    row = ParsedRow(number)
    for column in kind.input_columns:
        value = cells.get(column.key)
        row.raw[column.key] = show(value)
        if value is None or (isinstance(value, str) and not value.strip()):
            if column.required:
                row.problems.append(
                    CellProblem(column.key, "", "Wajib diisi / a value is required.")
                )
            continue
        try:
            row.values[column.key] = parse_cell(column, value)
        except InvalidInputError as error:
            row.problems.append(CellProblem(column.key, show(value), messages.render(error, lang)))
    return row


def is_blank(kind: RowKind, cells: Mapping[str, Value]) -> bool:
    """A pre-filled template row nobody filled in: only its code and quarter are there.

    Such rows are left out (and counted), so an OPD can return the template with the activities
    it has nothing to report on yet, instead of the whole file being refused.
    """
    keys = {kind.owner_column, "triwulan"}
    return all(cells.get(c.key) in (None, "") for c in kind.input_columns if c.key not in keys)


def attribute(kind: RowKind, error: MonevError, row: ParsedRow) -> str:
    """The column a domain refusal is about: named in the message, else its value, else owner."""
    message = str(error).lower()
    if isinstance(error, PermissionDeniedError):
        return kind.owner_column
    for column in kind.input_columns:
        if any(name.lower() in message for name in column.domain_names):
            return column.key
    for column in kind.input_columns:
        raw = row.raw.get(column.key, "").strip()
        if raw and len(raw) > 1 and f"'{raw.lower()}'" in message:
            return column.key
    return kind.owner_column


# -- the kinds of sheet ---------------------------------------------------------------------

QUARTER_COLUMN = Column(
    "triwulan", "Triwulan", "Quarter", QUARTER, True,
    "Triwulan dan tahun, mis. 2017-Q2 (atau 'Triwulan II 2017').",
    "Quarter and year, e.g. 2017-Q2 (or 'Triwulan II 2017').", "2017-Q2", 12,
    ("triwulan", "quarter"), ("tw", "kuartal"),
)  # fmt: skip


def _program(values: Mapping[str, Any]) -> RowCommand:
    return RowCommand(
        "register_program",
        {
            "code": values["kode_program"],
            "name": values["nama_program"],
            "opd_code": values["kode_opd"],
            "fiscal_year": values["tahun_anggaran"],
        },
    )


def _activity(values: Mapping[str, Any]) -> RowCommand:
    return RowCommand(
        "register_activity",
        {
            "code": values["kode_kegiatan"],
            "program_code": values["kode_program"],
            "opd_code": values["kode_opd"],
            "name": values["nama_kegiatan"],
            "kecamatan": values.get("kecamatan") or None,
            "pagu_rp": values["pagu_rp"],
            "indicator_name": values["indikator"],
            "indicator_unit": values["satuan"],
            "indicator_kind": values["jenis_indikator"],
            "annual_target": values["target_tahunan"],
            "quarterly_targets": [values[f"target_tw{n}"] for n in range(1, 5)],
        },
    )


def _evaluation(values: Mapping[str, Any]) -> RowCommand:
    kwargs = {
        "activity_code": values["kode_kegiatan"],
        "quarter": values["triwulan"],
        "physical_pct": values["realisasi_fisik_pct"],
        "financial_rp": values["realisasi_keuangan_rp"],
        "indicator_value": values["realisasi_indikator"],
        "drivers": values.get("faktor_pendorong", ""),
        "obstacles": values.get("faktor_penghambat", ""),
    }
    if values.get("alasan_koreksi"):
        return RowCommand("correct_evaluation", {**kwargs, "reason": values["alasan_koreksi"]})
    return RowCommand("record_evaluation", kwargs)


def _follow_up(values: Mapping[str, Any]) -> RowCommand:
    return RowCommand(
        "follow_up_recommendation",
        {
            "code": values["kode_rekomendasi"],
            "quarter": values["triwulan"],
            "progress": values["tindak_lanjut"],
            "is_done": values.get("selesai", False),
        },
    )


def _target(number: int) -> Column:
    roman = ("I", "II", "III", "IV")[number - 1]
    return Column(
        f"target_tw{number}", f"Target TW {roman}", f"Target Q{number}", NUMBER, True,
        f"Target indikator triwulan {roman}: sampai dengan triwulan ini jika kumulatif, "
        "hanya triwulan ini jika inkremental.",
        f"Indicator target of quarter {roman}: to date if cumulative, for the quarter alone if "
        "incremental.", str(25 * number), 10, (f"triwulan {number}",),
        (f"target_q{number}", f"target_triwulan_{roman.lower()}"),
    )  # fmt: skip


PROGRAMS = RowKind(
    "programs", "Program", "Programs",
    (
        Column("kode_program", "Kode Program", "Program code", CODE, True,
               "Kode unik program.", "Unique program code.", "P-DISKOPUKM-2017", 20,
               ("program code", "program")),
        Column("nama_program", "Nama Program", "Program name", TEXT, True,
               "Nama program.", "Program name.", "Program pemberdayaan UMKM", 40,
               ("program name",)),
        Column("kode_opd", "Kode OPD", "OPD code", CODE, True,
               "Kode OPD pelaksana; staf OPD hanya untuk OPD-nya sendiri.",
               "Agency running it; OPD staff only for their own agency.", "DISKOPUKM", 16,
               ("opd",), ("opd",)),
        Column("tahun_anggaran", "Tahun Anggaran", "Fiscal year", YEAR, True,
               "Tahun anggaran program.", "Fiscal year of the program.", "2017", 12,
               ("fiscal year",), ("tahun",)),
    ),
    "kode_opd", _program,
)  # fmt: skip

ACTIVITIES = RowKind(
    "activities", "Kegiatan", "Activities",
    (
        Column("kode_kegiatan", "Kode Kegiatan", "Activity code", CODE, True,
               "Kode unik kegiatan.", "Unique activity code.", "A-DISKOP-04", 18,
               ("activity code",)),
        Column("kode_program", "Kode Program", "Program code", CODE, True,
               "Program tempat kegiatan ini (harus sudah terdaftar atau ada di sheet Program).",
               "Program of the activity (registered, or on the Program sheet).",
               "P-DISKOPUKM-2017", 20, ("program",)),
        Column("kode_opd", "Kode OPD", "OPD code", CODE, True,
               "OPD pelaksana; staf OPD hanya untuk OPD-nya sendiri.",
               "Agency running it; OPD staff only for their own agency.", "DISKOPUKM", 16,
               ("opd",), ("opd",)),
        Column("nama_kegiatan", "Nama Kegiatan", "Activity name", TEXT, True,
               "Nama kegiatan.", "Activity name.", "Klinik BDS UMKM", 36, ("activity name",),
               ("kegiatan",)),
        Column("kecamatan", "Kecamatan", "Kecamatan", KECAMATAN, False,
               "Nama atau kode kecamatan; kosongkan jika se-kabupaten.",
               "Kecamatan name or code; empty if regency-wide.", "Grati", 16,
               ("kecamatan",)),
        Column("pagu_rp", "Pagu (Rp)", "Budget (Rp)", MONEY, True,
               "Pagu anggaran dalam rupiah, mis. 1.250.000 atau Rp 1.250.000,00.",
               "Budget in rupiah, e.g. 1.250.000 or Rp 1.250.000,00.", "450.000.000", 18,
               ("pagu",), ("pagu", "anggaran")),
        Column("indikator", "Indikator Kinerja (Keluaran)", "Output indicator", TEXT, True,
               "Indikator keluaran kegiatan.", "Output indicator.", "UMKM didampingi", 30,
               ("indicator name",), ("indikator_kinerja", "indikator_keluaran")),
        Column("satuan", "Satuan", "Unit", TEXT, True,
               "Satuan indikator.", "Unit of the indicator.", "UMKM", 12,
               ("indicator unit",), ("unit",)),
        Column("jenis_indikator", "Jenis Indikator", "Indicator kind", INDICATOR_KIND, True,
               "kumulatif (nilai s.d. triwulan) atau inkremental (per triwulan, dijumlahkan).",
               "cumulative (to date) or incremental (per quarter, adding up).", "kumulatif", 14,
               ("indicator kind",), ("jenis",)),
        Column("target_tahunan", "Target Tahunan", "Annual target", NUMBER, True,
               "Target indikator setahun.", "Annual target of the indicator.", "400", 12,
               ("annual target",)),
        _target(1), _target(2), _target(3), _target(4),
    ),
    "kode_opd", _activity,
)  # fmt: skip

EVALUATIONS = RowKind(
    "evaluations", "Realisasi", "Realisation",
    (
        Column("kode_kegiatan", "Kode Kegiatan", "Activity code", CODE, True,
               "Kegiatan yang dilaporkan.", "Activity reported on.", "A-DISKOP-01", 18,
               ("activity",)),
        Column("info_nama_kegiatan", "Nama Kegiatan (info)", "Activity name (info)",
               info=True, width=36),
        Column("info_satuan", "Satuan (info)", "Unit (info)", info=True, width=12),
        Column("info_target_tw", "Target Triwulan (info)", "Quarter target (info)", NUMBER,
               info=True, width=12),
        Column("info_pagu_rp", "Pagu (info)", "Budget (info)", MONEY, info=True, width=18),
        QUARTER_COLUMN,
        Column("realisasi_fisik_pct", "Realisasi Fisik (%)", "Physical realisation (%)",
               PERCENT, True,
               "Kemajuan fisik s.d. triwulan ini, 0-100; mis. 60, 60% atau 60,5.",
               "Physical progress to date, 0-100; e.g. 60, 60% or 60,5.", "60", 12,
               ("physical realisation",), ("realisasi_fisik", "fisik")),
        Column("realisasi_keuangan_rp", "Realisasi Keuangan (Rp)",
               "Financial realisation (Rp)", MONEY, True,
               "Uang yang dibelanjakan dalam triwulan ini (bukan kumulatif).",
               "Money spent in this quarter (not cumulative).", "99.000.000", 18,
               ("financial realisation",), ("realisasi_keuangan", "keuangan")),
        Column("realisasi_indikator", "Realisasi Indikator", "Indicator realisation", NUMBER,
               True,
               "Capaian indikator: s.d. triwulan ini jika kumulatif, triwulan ini jika "
               "inkremental.",
               "Indicator achieved: to date if cumulative, in the quarter if incremental.",
               "210", 12, ("indicator",), ("realisasi_output",)),
        Column("faktor_pendorong", "Faktor Pendorong", "Drivers", TEXT, False,
               "Apa yang mendorong capaian.", "What helped.", "Dukungan pemerintah desa", 30,
               ("drivers",), ("pendorong",)),
        Column("faktor_penghambat", "Faktor Penghambat", "Obstacles", TEXT, False,
               "Apa yang menghambat.", "What held it back.", "Cuaca", 30, ("obstacles",),
               ("penghambat",)),
        Column("alasan_koreksi", "Alasan Koreksi", "Reason for correction", TEXT, False,
               "Isi hanya untuk mengoreksi realisasi yang sudah tercatat (juga triwulan yang "
               "sudah ditutup).",
               "Only to correct a recorded realisation (also in a closed quarter).", "", 30,
               ("reason for the correction",), ("koreksi",)),
    ),
    "kode_kegiatan", _evaluation,
)  # fmt: skip

FOLLOW_UPS = RowKind(
    "followups", "Tindak Lanjut", "Follow-ups",
    (
        Column("kode_rekomendasi", "Kode Rekomendasi", "Recommendation code", CODE, True,
               "Rekomendasi rakor yang ditindaklanjuti.", "Rakor recommendation followed up.",
               "REK-2017-01", 18, ("recommendation",)),
        Column("info_rekomendasi", "Rekomendasi (info)", "Recommendation (info)", info=True,
               width=40),
        Column("info_batas", "Batas Triwulan (info)", "Due quarter (info)", info=True,
               width=14),
        QUARTER_COLUMN,
        Column("tindak_lanjut", "Tindak Lanjut", "Follow-up", TEXT, True,
               "Apa yang sudah dilakukan.", "What was done.", "210 IUMK diterbitkan", 40,
               ("follow-up progress",), ("progress", "kemajuan")),
        Column("selesai", "Selesai (ya/tidak)", "Done (yes/no)", YES_NO, False,
               "'ya' jika rekomendasi sudah selesai.", "'ya' (yes) if it is finished.",
               "tidak", 12, (), ("done", "selesai")),
    ),
    "kode_rekomendasi", _follow_up,
)  # fmt: skip

KINDS: dict[str, RowKind] = {k.name: k for k in (PROGRAMS, ACTIVITIES, EVALUATIONS, FOLLOW_UPS)}


@dataclass(frozen=True)
class Header:
    """A recognised header row: the sheet's kind and which cell holds which column."""

    kind: RowKind
    positions: dict[int, Column]
    missing: tuple[Column, ...] = ()


def match_header(cells: list[Value]) -> Header | None:
    """The kind whose columns this row names best; None if it names too few to be a header.

    A row naming most of a kind's columns but not all its required ones is still returned
    (with ``missing``), so the report can say which column is absent instead of "no data".
    """
    names = [normalise_header(c) if isinstance(c, str) else "" for c in cells]
    best: Header | None = None
    best_score = (1, 0)  # at least two named columns make a header
    for kind in KINDS.values():
        index = _name_index(kind.name)
        positions: dict[int, Column] = {}
        for position, name in enumerate(names):
            column = index.get(name)
            if column is not None and column not in positions.values():
                positions[position] = column
        found = {c.key for c in positions.values()}
        missing = tuple(c for c in kind.input_columns if c.required and c.key not in found)
        score = (len(found), -len(missing))
        if score > best_score:
            best, best_score = Header(kind, positions, missing), score
    return best


@cache
def _name_index(kind_name: str) -> dict[str, Column]:
    """Every accepted spelling of every column of a kind; the first column to claim one wins."""
    index: dict[str, Column] = {}
    for column in KINDS[kind_name].columns:
        for name in column.names():
            index.setdefault(name, column)
    return index
