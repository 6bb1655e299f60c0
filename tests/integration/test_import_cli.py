"""`monev template` and `monev import` as a user drives them: exit codes, tables, no tracebacks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from apps.cli import context
from apps.users import User, save_users
from domain.actors import ADMIN, OPD, Actor
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

YEAR = 2018
HEADER = (
    "Kode Kegiatan;Kode Program;Kode OPD;Nama Kegiatan;Kecamatan;Pagu (Rp);"
    "Indikator Kinerja (Keluaran);Satuan;Jenis Indikator;Target Tahunan;"
    "Target TW I;Target TW II;Target TW III;Target TW IV"
)


def root_app() -> typer.Typer:
    """The real `monev` app."""
    from apps.cli.main import app

    return app


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("MONEV_HOME", str(tmp_path))
    monkeypatch.delenv("MONEV_USER", raising=False)
    monkeypatch.delenv("MONEV_USERS_FILE", raising=False)
    monkeypatch.setenv("MONEV_LANG", "en")  # these tests read the English wording
    monkeypatch.chdir(tmp_path)
    context.settings.cache_clear()
    context.application.cache_clear()
    settings = Settings.from_env({}, home=tmp_path)
    app = build_application(settings)
    admin = Actor("admin", ADMIN)
    for code in ("DISKOPUKM", "DISNAK"):
        app.register_opd(admin, code=code, name=f"Dinas {code}")
        app.register_program(
            admin, code=f"P-{code}-{YEAR}", name="Program", opd_code=code, fiscal_year=YEAR
        )
    app.close()
    save_users(
        settings.users_path,
        {
            "admin": User("admin", "Admin", ADMIN),
            "opd-diskopukm": User("opd-diskopukm", "Operator", OPD, "DISKOPUKM"),
            "opd-disnak": User("opd-disnak", "Operator", OPD, "DISNAK"),
        },
    )
    yield tmp_path
    context.settings.cache_clear()
    context.application.cache_clear()


def position(home: Path) -> int:
    app = build_application(Settings.from_env({}, home=home))
    try:
        return app.last_position()
    finally:
        app.close()


def rows(count: int, opd: str = "DISKOPUKM", bad: int | None = None) -> str:
    lines = [HEADER]
    for i in range(count):
        annual = "50" if i == bad else "40"
        lines.append(
            f"K-{i:04d};P-{opd}-{YEAR};{opd};Kegiatan {i};Grati;Rp 1.250.000,00;UMKM didampingi;"
            f"UMKM;inkremental;{annual};10;10;10;10"
        )
    return "\n".join(lines) + "\n"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(root_app(), list(args))
    return result.exit_code, result.output


def test_import_stores_and_exits_zero(home: Path) -> None:
    path = home / "kegiatan.csv"
    path.write_text(rows(3), "cp1252")
    code, output = invoke("--user", "opd-diskopukm", "import", str(path))
    assert code == 0, output
    assert "3 baris disimpan / stored" in output
    assert position(home) == 4 + 3


def test_dry_run_stores_nothing_and_a_second_import_skips(home: Path) -> None:
    path = home / "kegiatan.csv"
    path.write_text(rows(2), "utf-8")
    code, output = invoke("--user", "opd-diskopukm", "import", str(path), "--dry-run")
    assert code == 0 and "would be stored" in output
    assert position(home) == 4
    assert invoke("--user", "opd-diskopukm", "import", str(path))[0] == 0
    code, output = invoke("--user", "opd-diskopukm", "import", str(path))
    assert code == 0 and "0 baris disimpan" in output and "2 dilewati" in output


def test_a_refused_row_exits_non_zero_with_a_table_and_stores_nothing(home: Path) -> None:
    path = home / "kegiatan.csv"
    path.write_text(rows(1200, bad=700), "utf-8")
    code, output = invoke("--user", "opd-diskopukm", "import", str(path))
    assert code == 1
    assert "refused rows" in output
    assert "702" in output  # the sheet row of item 700: header on row 1
    assert "1 row(s) refused, nothing stored" in output
    assert "Traceback" not in output
    assert position(home) == 4


def test_another_agencys_rows_are_refused_for_an_opd_user(home: Path) -> None:
    path = home / "kegiatan.csv"
    path.write_text(rows(2, opd="DISKOPUKM"), "utf-8")
    code, output = invoke("--user", "opd-disnak", "import", str(path))
    assert code == 1
    assert output.count("cannot register an activity for DISKOPUKM") == 2
    assert position(home) == 4


@pytest.mark.parametrize(
    ("name", "content"),
    [("laporan.pdf", b"%PDF-1.4\n1 0 obj"), ("rusak.xlsx", b"PK\x03\x04garbage")],
)
def test_a_non_spreadsheet_gets_one_line_not_a_traceback(
    home: Path, name: str, content: bytes
) -> None:
    path = home / name
    path.write_bytes(content)
    code, output = invoke("--user", "opd-diskopukm", "import", str(path))
    assert code == 1
    assert output.strip().count("\n") == 0
    assert output.startswith("Refused:") and name in output


def test_a_missing_file_and_a_missing_user_are_refused_plainly(home: Path) -> None:
    code, output = invoke("--user", "opd-diskopukm", "import", str(home / "tidak-ada.xlsx"))
    assert code == 1 and "does not exist" in output
    path = home / "kegiatan.csv"
    path.write_text(rows(1), "utf-8")
    code, output = invoke("import", str(path))
    assert code == 1 and "--user" in output


def test_template_writes_a_prefilled_workbook(home: Path) -> None:
    code, output = invoke("template", "activities", "--opd", "DISKOPUKM")
    assert code == 0, output
    path = home / "templat-kegiatan-DISKOPUKM.xlsx"
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Program", "Kegiatan", "Petunjuk", "Daftar"]
    assert workbook["Program"]["A3"].value == f"P-DISKOPUKM-{YEAR}"
    code, output = invoke("template", "rencana")
    assert code == 1 and "activities, evaluations or followups" in output
    code, output = invoke("template", "evaluations", "--opd", "NOPE")
    assert code == 1 and "'NOPE' is not registered" in output
