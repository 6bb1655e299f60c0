"""Spreadsheet import against a real SQLite event store, with files the tests write.

Each test seeds a small store through the domain commands (agencies, 2018 programs, users) and
then imports XLSX or CSV files as an OPD operator or division staff would send them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from apps.spreadsheets.importer import ImportReport, import_spreadsheet
from apps.spreadsheets.reading import ImportFileError
from apps.spreadsheets.rows import ACTIVITIES, EVALUATIONS, FOLLOW_UPS, RowKind
from apps.spreadsheets.templates import build_template
from domain.actors import ADMIN, OPD, Actor
from domain.application import Monev
from domain.errors import ConflictError
from domain.kecamatan import resolve_kecamatan
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

ADMIN_ACTOR = Actor("admin", ADMIN)
DISKOP = Actor("opd-diskopukm", OPD, "DISKOPUKM")
DISNAK = Actor("opd-disnak", OPD, "DISNAK")
YEAR = 2018


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests read the reports' English wording (the default is Bahasa Indonesia)."""
    monkeypatch.setenv("MONEV_LANG", "en")


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Monev]:
    application = build_application(Settings.from_env({}, home=tmp_path / "home"))
    for code, name in (
        ("DISKOPUKM", "Dinas Koperasi dan Usaha Mikro"),
        ("DPMPTSP", "Dinas Penanaman Modal dan PTSP"),
        ("DISNAK", "Dinas Peternakan"),
    ):
        application.register_opd(ADMIN_ACTOR, code=code, name=name)
        application.register_program(
            ADMIN_ACTOR, code=f"P-{code}-{YEAR}", name=f"Program {code}", opd_code=code,
            fiscal_year=YEAR,
        )  # fmt: skip
    yield application
    application.close()


# -- writing test files ---------------------------------------------------------------------


def activity_row(index: int, opd: str = "DISKOPUKM", **changes: Any) -> dict[str, Any]:
    row = {
        "kode_kegiatan": f"K-{opd}-{index:04d}",
        "kode_program": f"P-{opd}-{YEAR}",
        "kode_opd": opd,
        "nama_kegiatan": f"Kegiatan {index}",
        "kecamatan": ("Grati", "Lekok", "Bangil", "")[index % 4],
        "pagu_rp": "Rp 1.250.000,00" if index % 2 else 1_250_000,
        "indikator": "UMKM didampingi",
        "satuan": "UMKM",
        "jenis_indikator": "inkremental",
        "target_tahunan": 40,
        "target_tw1": 10,
        "target_tw2": 10,
        "target_tw3": 10,
        "target_tw4": 10,
    }
    row.update(changes)
    return row


def evaluation_row(code: str, quarter: str = f"{YEAR}-Q1", **changes: Any) -> dict[str, Any]:
    row = {
        "kode_kegiatan": code,
        "triwulan": quarter,
        "realisasi_fisik_pct": "60,5",
        "realisasi_keuangan_rp": "Rp 990.000",
        "realisasi_indikator": 9,
        "faktor_pendorong": "Dukungan desa",
        "faktor_penghambat": "",
    }
    row.update(changes)
    return row


def xlsx(sheets: Sequence[tuple[RowKind, Sequence[dict[str, Any]]]], path: Path) -> Path:
    """A workbook as someone would make it by hand: Indonesian headers, one row per record."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for kind, rows in sheets:
        sheet = workbook.create_sheet(kind.title)
        columns = kind.input_columns
        sheet.append([c.label for c in columns])
        for row in rows:
            sheet.append([row.get(c.key) for c in columns])
    workbook.save(path)
    return path


def csv_file(
    kind: RowKind,
    rows: Sequence[dict[str, Any]],
    path: Path,
    *,
    encoding: str = "utf-8",
    separator: str = ",",
    labels: bool = True,
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    columns = kind.input_columns
    writer.writerow([c.label if labels else c.key for c in columns])
    for row in rows:
        writer.writerow(["" if row.get(c.key) is None else row.get(c.key) for c in columns])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def new_events(app: Monev, since: int) -> list[Any]:
    notifications = app.recorder.select_notifications(since, 100_000, inclusive_of_start=False)
    return [app.mapper.to_domain_event(n) for n in notifications]


def refused_rows(report: ImportReport) -> set[tuple[str, int]]:
    return {(p.sheet, p.row) for p in report.refused}


# -- acceptance -------------------------------------------------------------------------------


def test_a_clean_file_imports_and_its_events_carry_the_importing_user(
    app: Monev, tmp_path: Path
) -> None:
    activities = [activity_row(i) for i in range(1, 6)]
    evaluations = [evaluation_row(a["kode_kegiatan"]) for a in activities]
    path = xlsx([(ACTIVITIES, activities), (EVALUATIONS, evaluations)], tmp_path / "clean.xlsx")
    before = app.last_position()

    report = import_spreadsheet(app, DISKOP, path)

    assert report.ok, report.refused
    assert (report.stored, report.skipped, report.rows) == (10, 0, 10)
    events = new_events(app, before)
    assert len(events) == report.events == 10
    assert {e.actor for e in events} == {DISKOP}
    activity = app.get_activity("K-DISKOPUKM-0001")
    assert activity.pagu_rp == 1_250_000
    assert activity.kecamatan_code == resolve_kecamatan("Lekok")
    assert activity.evaluations[f"{YEAR}-Q1"] == {
        "physical_pct": 60.5,
        "financial_rp": 990_000,
        "indicator_value": 9.0,
    }


def test_one_bad_row_among_500_stores_nothing_and_is_the_only_row_reported(
    app: Monev, tmp_path: Path
) -> None:
    rows = [activity_row(i) for i in range(500)]
    # Row 318 of the sheet (header on row 1): incremental targets that do not add up.
    rows[316] = activity_row(316, target_tahunan=50)
    path = xlsx([(ACTIVITIES, rows)], tmp_path / "500.xlsx")
    before = app.last_position()

    report = import_spreadsheet(app, DISKOP, path)

    assert not report.ok
    assert refused_rows(report) == {("Kegiatan", 318)}
    (problem,) = report.refused
    assert problem.column == "Target Tahunan"
    assert problem.value == "50"
    assert "add up to 40, not the annual target 50" in problem.reason
    assert report.rows == 500
    assert app.last_position() == before


def test_a_cell_that_is_no_number_is_reported_with_its_column_and_value(
    app: Monev, tmp_path: Path
) -> None:
    rows = [activity_row(i) for i in range(20)]
    rows[4] = activity_row(4, pagu_rp="satu juta")
    rows[9] = activity_row(9, nama_kegiatan="")
    report = import_spreadsheet(app, DISKOP, xlsx([(ACTIVITIES, rows)], tmp_path / "bad.xlsx"))
    problems = {(p.row, p.column, p.value) for p in report.refused}
    assert problems == {(6, "Pagu (Rp)", "satu juta"), (11, "Nama Kegiatan", "")}
    assert all(p.reason for p in report.refused)


def test_windows_1252_semicolons_and_rupiah_import(app: Monev, tmp_path: Path) -> None:
    rows = [
        activity_row(1, nama_kegiatan="Pelatihan kopi – café desa", pagu_rp="Rp 1.250.000,00"),
        activity_row(2, nama_kegiatan="Pasar ‘rakyat’ Grati", pagu_rp="Rp 12.500.000,-"),
        activity_row(3, target_tahunan="40,0", target_tw1="10,0"),
    ]
    path = csv_file(ACTIVITIES, rows, tmp_path / "kegiatan.csv", encoding="cp1252", separator=";")
    assert b"\x96" in path.read_bytes()  # the en dash, as Windows-1252 writes it

    report = import_spreadsheet(app, DISKOP, path)

    assert report.ok, report.refused
    assert report.stored == 3
    assert app.get_activity("K-DISKOPUKM-0001").name == "Pelatihan kopi – café desa"
    assert app.get_activity("K-DISKOPUKM-0001").pagu_rp == 1_250_000
    assert app.get_activity("K-DISKOPUKM-0002").pagu_rp == 12_500_000


def test_csv_variants_utf8_bom_comma_and_machine_names(app: Monev, tmp_path: Path) -> None:
    rows = [activity_row(i, pagu_rp="1.250.000") for i in range(3)]
    path = csv_file(
        ACTIVITIES, rows, tmp_path / "k.csv", encoding="utf-8-sig", separator=",", labels=False
    )
    report = import_spreadsheet(app, DISKOP, path)
    assert report.ok and report.stored == 3, report.refused


def test_importing_the_same_file_twice_stores_nothing_the_second_time(
    app: Monev, tmp_path: Path
) -> None:
    activities = [activity_row(i) for i in range(1, 4)]
    evaluations = [evaluation_row(a["kode_kegiatan"]) for a in activities]
    path = xlsx([(ACTIVITIES, activities), (EVALUATIONS, evaluations)], tmp_path / "twice.xlsx")
    first = import_spreadsheet(app, DISKOP, path)
    assert first.ok and first.stored == 6
    position = app.last_position()

    second = import_spreadsheet(app, DISKOP, path)

    assert second.ok
    assert (second.stored, second.skipped, second.events) == (0, 6, 0)
    assert app.last_position() == position
    assert "6 dilewati" in second.summary()


def test_a_changed_evaluation_is_recorded_again_and_a_changed_activity_is_refused(
    app: Monev, tmp_path: Path
) -> None:
    activities = [activity_row(1)]
    evaluations = [evaluation_row("K-DISKOPUKM-0001")]
    import_spreadsheet(app, DISKOP, xlsx([(ACTIVITIES, activities)], tmp_path / "a.xlsx"))
    import_spreadsheet(app, DISKOP, xlsx([(EVALUATIONS, evaluations)], tmp_path / "e.xlsx"))

    changed = [evaluation_row("K-DISKOPUKM-0001", realisasi_fisik_pct="70")]
    report = import_spreadsheet(app, DISKOP, xlsx([(EVALUATIONS, changed)], tmp_path / "e2.xlsx"))
    assert report.ok and report.stored == 1
    assert app.get_activity("K-DISKOPUKM-0001").evaluations[f"{YEAR}-Q1"]["physical_pct"] == 70

    renamed = [activity_row(1, pagu_rp=2_000_000)]
    refused = import_spreadsheet(app, DISKOP, xlsx([(ACTIVITIES, renamed)], tmp_path / "a2.xlsx"))
    (problem,) = refused.refused
    assert problem.column == "Kode Kegiatan"
    assert "already registered" in problem.reason and "differ" in problem.reason


def test_an_opd_user_importing_for_another_agency_is_refused_row_by_row(
    app: Monev, tmp_path: Path
) -> None:
    own = [activity_row(1, opd="DISNAK")]
    foreign = [activity_row(i, opd="DISKOPUKM") for i in range(2, 5)]
    path = xlsx([(ACTIVITIES, own + foreign)], tmp_path / "mixed.xlsx")
    before = app.last_position()

    report = import_spreadsheet(app, DISNAK, path)

    assert refused_rows(report) == {("Kegiatan", 3), ("Kegiatan", 4), ("Kegiatan", 5)}
    for problem in report.refused:
        assert problem.column == "Kode OPD"
        assert problem.value == "DISKOPUKM"
        assert "act only for their own agency" in problem.reason
    assert app.last_position() == before


def test_evaluations_of_another_agency_are_refused_by_the_domain(
    app: Monev, tmp_path: Path
) -> None:
    import_spreadsheet(app, DISKOP, xlsx([(ACTIVITIES, [activity_row(1)])], tmp_path / "a.xlsx"))
    path = xlsx([(EVALUATIONS, [evaluation_row("K-DISKOPUKM-0001")])], tmp_path / "e.xlsx")
    report = import_spreadsheet(app, DISNAK, path)
    (problem,) = report.refused
    assert (problem.row, problem.column, problem.value) == (2, "Kode Kegiatan", "K-DISKOPUKM-0001")
    assert "opd-disnak" in problem.reason


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("laporan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        ("foto.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image"),
        ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "password"),
        ("rusak.xlsx", b"PK\x03\x04" + b"\x00" * 40, "not a readable Excel workbook"),
        ("kosong.csv", b"", "empty"),
        ("acak.csv", bytes(range(256)) * 8, "binary"),
        ("catatan.txt", b"Mohon data triwulan dikirim besok.\nTerima kasih.\n", "no sheet"),
    ],
)
def test_a_malformed_or_non_spreadsheet_file_gets_a_clear_error(
    app: Monev, tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=expected) as refused:
        import_spreadsheet(app, DISKOP, path)
    assert name in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_zip_that_is_not_a_workbook_gets_a_clear_error(app: Monev, tmp_path: Path) -> None:
    path = tmp_path / "arsip.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "bukan spreadsheet")
    with pytest.raises(ImportFileError, match="not a readable Excel workbook"):
        import_spreadsheet(app, DISKOP, path)
    ods = tmp_path / "realisasi.ods"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(ImportFileError, match=r"OpenDocument \(\.ods\)"):
        import_spreadsheet(app, DISKOP, ods)


def test_a_missing_required_column_is_named(app: Monev, tmp_path: Path) -> None:
    path = tmp_path / "kurang.csv"
    path.write_text("Kode Kegiatan;Triwulan;Realisasi Fisik (%)\nK-1;2018-Q1;50\n", "utf-8")
    report = import_spreadsheet(app, DISKOP, path)
    assert {p.column for p in report.refused} == {
        "Realisasi Keuangan (Rp)",
        "Realisasi Indikator",
    }
    assert all(p.row == 1 for p in report.refused)


def test_dry_run_reports_without_storing(app: Monev, tmp_path: Path) -> None:
    path = xlsx([(ACTIVITIES, [activity_row(i) for i in range(3)])], tmp_path / "dry.xlsx")
    before = app.last_position()
    report = import_spreadsheet(app, DISKOP, path, dry_run=True)
    assert report.ok and report.dry_run
    assert (report.stored, report.events) == (3, 3)
    assert "would be stored" in report.summary()
    assert app.last_position() == before
    assert import_spreadsheet(app, DISKOP, path).stored == 3


def test_later_rows_see_earlier_rows_and_a_refused_row_does_not_count(
    app: Monev, tmp_path: Path
) -> None:
    activities = [activity_row(1), activity_row(2, jenis_indikator="bulanan")]
    evaluations = [
        evaluation_row("K-DISKOPUKM-0001"),
        evaluation_row("K-DISKOPUKM-0002"),  # its registration above is refused
    ]
    path = xlsx([(ACTIVITIES, activities), (EVALUATIONS, evaluations)], tmp_path / "dep.xlsx")
    report = import_spreadsheet(app, DISKOP, path)
    assert refused_rows(report) == {("Kegiatan", 3), ("Realisasi", 3)}
    kinds = {p.row: p for p in report.refused if p.sheet == "Kegiatan"}
    assert kinds[3].column == "Jenis Indikator" and kinds[3].value == "bulanan"
    realisasi = next(p for p in report.refused if p.sheet == "Realisasi")
    # An OPD user is told alike for an unknown record and another agency's (domain/authorisation).
    assert "not one of that agency's records" in realisasi.reason


def test_an_evaluation_twice_in_one_file_keeps_the_last_and_checks_both(
    app: Monev, tmp_path: Path
) -> None:
    import_spreadsheet(app, DISKOP, xlsx([(ACTIVITIES, [activity_row(1)])], tmp_path / "a.xlsx"))
    rows = [
        evaluation_row("K-DISKOPUKM-0001", realisasi_fisik_pct=40),
        evaluation_row("K-DISKOPUKM-0001", realisasi_fisik_pct="45%"),
    ]
    report = import_spreadsheet(app, DISKOP, xlsx([(EVALUATIONS, rows)], tmp_path / "e.xlsx"))
    assert report.ok and report.stored == 2
    evaluation = app.get_activity("K-DISKOPUKM-0001").evaluations[f"{YEAR}-Q1"]
    assert evaluation["physical_pct"] == 45


def test_a_closed_quarter_takes_corrections_with_a_reason_only(app: Monev, tmp_path: Path) -> None:
    import_spreadsheet(app, DISKOP, xlsx([(ACTIVITIES, [activity_row(1)])], tmp_path / "a.xlsx"))
    first = [evaluation_row("K-DISKOPUKM-0001")]
    import_spreadsheet(app, DISKOP, xlsx([(EVALUATIONS, first)], tmp_path / "e.xlsx"))
    app.hold_rakor(ADMIN_ACTOR, quarter=f"{YEAR}-Q1", held_on=date(2018, 4, 10))
    app.close_quarter(ADMIN_ACTOR, quarter=f"{YEAR}-Q1")

    late = [evaluation_row("K-DISKOPUKM-0001", realisasi_fisik_pct=65)]
    refused = import_spreadsheet(app, DISKOP, xlsx([(EVALUATIONS, late)], tmp_path / "l.xlsx"))
    (problem,) = refused.refused
    assert problem.column == "Triwulan" and "closed" in problem.reason

    fixed = [
        evaluation_row("K-DISKOPUKM-0001", realisasi_fisik_pct=65, alasan_koreksi="Salah ketik")
    ]
    corrected = import_spreadsheet(app, DISKOP, xlsx([(EVALUATIONS, fixed)], tmp_path / "c.xlsx"))
    assert corrected.ok and corrected.stored == 1
    events = new_events(app, app.last_position() - 1)
    assert type(events[0]).__name__ == "EvaluationCorrected"
    assert events[0].reason == "Salah ketik"


def test_a_quarter_closed_elsewhere_while_the_file_is_checked_stores_nothing(
    app: Monev, tmp_path: Path
) -> None:
    """The rows were checked against an open quarter; the write must not land in a closed one."""
    import_spreadsheet(app, DISKOP, xlsx([(ACTIVITIES, [activity_row(1)])], tmp_path / "a.xlsx"))
    quarter = f"{YEAR}-Q1"
    elsewhere = build_application(Settings.from_env({}, home=tmp_path / "home"))  # another user
    closed: list[bool] = []

    def close_meanwhile(phase: str, done: int, _total: int) -> None:
        if phase == "check" and done == 1 and not closed:
            elsewhere.hold_rakor(ADMIN_ACTOR, quarter=quarter, held_on=date(2018, 4, 10))
            elsewhere.close_quarter(ADMIN_ACTOR, quarter=quarter)
            closed.append(True)

    rows = [evaluation_row("K-DISKOPUKM-0001", quarter)]
    before = app.last_position()
    with pytest.raises(ConflictError, match="nothing was stored"):
        import_spreadsheet(
            app, DISKOP, xlsx([(EVALUATIONS, rows)], tmp_path / "e.xlsx"), progress=close_meanwhile
        )
    assert closed and app.last_position() == before + 2  # the rakor and the closure only
    again = import_spreadsheet(app, DISKOP, xlsx([(EVALUATIONS, rows)], tmp_path / "e2.xlsx"))
    (problem,) = again.refused
    assert "closed" in problem.reason
    elsewhere.close()


def test_excel_percent_cells_and_follow_ups(app: Monev, tmp_path: Path) -> None:
    import_spreadsheet(app, DISKOP, xlsx([(ACTIVITIES, [activity_row(1)])], tmp_path / "a.xlsx"))
    app.issue_recommendation(
        ADMIN_ACTOR, code="REK-01", quarter=f"{YEAR}-Q1", opd_code="DISKOPUKM",
        text="Percepat pendampingan", due_quarter=f"{YEAR}-Q2",
    )  # fmt: skip
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Realisasi"
    sheet.append([c.label for c in EVALUATIONS.input_columns])
    sheet.append(["K-DISKOPUKM-0001", "Triwulan I 2018", 0.605, 990_000, 9])
    sheet["C2"].number_format = "0.0%"
    follow = workbook.create_sheet("Tindak Lanjut")
    follow.append([c.label for c in FOLLOW_UPS.input_columns])
    follow.append(["REK-01", "2018-Q2", "Pendampingan 40 UMKM", "ya"])
    path = tmp_path / "percent.xlsx"
    workbook.save(path)

    report = import_spreadsheet(app, DISKOP, path)

    assert report.ok, report.refused
    evaluation = app.get_activity("K-DISKOPUKM-0001").evaluations[f"{YEAR}-Q1"]
    assert evaluation["physical_pct"] == pytest.approx(60.5)
    assert app.get_recommendation("REK-01").is_done
    assert import_spreadsheet(app, DISKOP, path).skipped == 2


def test_a_prefilled_template_round_trip(app: Monev, tmp_path: Path) -> None:
    import_spreadsheet(
        app,
        DISKOP,
        xlsx([(ACTIVITIES, [activity_row(i) for i in range(1, 4)])], tmp_path / "a.xlsx"),
    )
    workbook = build_template(app, "evaluations", opd="DISKOPUKM", quarter=f"{YEAR}-Q1")
    path = tmp_path / "templat.xlsx"
    workbook.save(path)

    opened = load_workbook(path)
    assert opened.sheetnames == ["Realisasi", "Petunjuk", "Daftar"]
    sheet = opened["Realisasi"]
    assert sheet.row_dimensions[2].hidden
    assert [c.value for c in sheet[2]][:1] == ["kode_kegiatan"]
    assert [sheet.cell(r, 1).value for r in (3, 4, 5)] == [
        "K-DISKOPUKM-0001", "K-DISKOPUKM-0002", "K-DISKOPUKM-0003",
    ]  # fmt: skip
    validations = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert (
        validations["F3"].formula1.startswith("'Daftar'!") or "Daftar" in validations["F3"].formula1
    )
    assert opened["Daftar"].sheet_state == "hidden"

    untouched = import_spreadsheet(app, DISKOP, path)
    assert untouched.ok and (untouched.stored, untouched.blank) == (0, 3)

    sheet["G3"], sheet["H3"], sheet["I3"] = "55", "Rp 1.000.000", 8
    opened.save(path)
    filled = import_spreadsheet(app, DISKOP, path)
    assert filled.ok and (filled.stored, filled.blank) == (1, 2)
    again = build_template(app, "evaluations", opd="DISKOPUKM", quarter=f"{YEAR}-Q1")
    assert again["Realisasi"]["G3"].value == 55
    assert import_spreadsheet(app, DISKOP, path).stored == 0


def test_progress_is_reported_for_reading_checking_and_storing(app: Monev, tmp_path: Path) -> None:
    path = xlsx([(ACTIVITIES, [activity_row(i) for i in range(1200)])], tmp_path / "big.xlsx")
    seen: list[tuple[str, int, int]] = []
    report = import_spreadsheet(app, DISKOP, path, progress=lambda *step: seen.append(step))
    assert report.ok and report.stored == 1200
    phases = [phase for phase, _, _ in seen]
    assert phases[0] == "read" and "check" in phases and phases[-2:] == ["store", "store"]
    assert ("check", 1200, 1200) in seen and seen[-1] == ("store", 1, 1)


def test_excel_sep_hint_and_unicode_text_are_read(app: Monev, tmp_path: Path) -> None:
    """Excel's "sep=;" first line, and "Unicode Text" (UTF-16, tab separated)."""
    hinted = csv_file(ACTIVITIES, [activity_row(1)], tmp_path / "hint.csv", separator=";")
    hinted.write_bytes(b"sep=;\r\n" + hinted.read_bytes())
    unicode_text = csv_file(
        ACTIVITIES,
        [activity_row(2, nama_kegiatan="Pelatihan kopi – café desa")],
        tmp_path / "unicode.txt",
        encoding="utf-16",
        separator="\t",
    )
    for path in (hinted, unicode_text):
        report = import_spreadsheet(app, DISKOP, path)
        assert report.ok and report.stored == 1, report.refused
    assert app.get_activity("K-DISKOPUKM-0002").name == "Pelatihan kopi – café desa"


_MEMORY_APP: list[Monev] = []


def memory_app() -> Monev:
    if not _MEMORY_APP:
        _MEMORY_APP.append(
            build_application(Settings.from_env({}, event_store="memory", home=Path(".")))
        )
    return _MEMORY_APP[0]


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=2000).map(lambda b: b"PK\x03\x04" + b),
        st.text(max_size=500).map(lambda t: t.encode("utf-8")),
        st.lists(st.text(alphabet=";,\t\"'\n abcKode Kegiatan0123", max_size=30), max_size=8).map(
            lambda parts: "\n".join(parts).encode("cp1252", errors="replace")
        ),
    )
)
def test_no_file_gives_anything_but_a_report_or_one_sentence(data: bytes) -> None:
    try:
        report = import_spreadsheet(memory_app(), DISKOP, data, filename="acak.csv", dry_run=True)
    except ImportFileError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert report.dry_run and memory_app().last_position() == 0


def test_a_report_is_worded_in_indonesian_unless_asked_otherwise(
    app: Monev, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MONEV_LANG")
    rows = [activity_row(1, target_tahunan=50), activity_row(2, pagu_rp="1e9")]
    path = xlsx([(ACTIVITIES, rows)], tmp_path / "salah.xlsx")
    reasons = [p.reason for p in import_spreadsheet(app, DISKOP, path).refused]
    assert any("bukan target tahunan 50" in r for r in reasons), reasons
    assert any("bukan jumlah rupiah" in r for r in reasons), reasons
    english = import_spreadsheet(app, DISKOP, path, lang="en").refused
    assert any("not the annual target 50" in p.reason for p in english)
    assert app.last_position() == 0 or all(not p.reason.isspace() for p in english)
