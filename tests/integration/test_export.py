"""Exports against the real pipeline: demo story → refresh (projection + dbt) → published file.

The evaluation form is opened with openpyxl as any reader would, and its rows and totals are
compared with the marts they come from, for every OPD and quarter of the demo.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
import typer
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from apps import demo_story as story
from apps.cli import context
from apps.spreadsheets.export import (
    COLUMN,
    FIRST_ROW,
    build_evaluation_form,
    export_form,
    mart_bytes,
    open_warehouse,
)
from domain.errors import MonevError, NotFoundError
from eventstore.settings import Settings

# One worker copies the warehouse once for the whole module (make test runs -n 2 --dist loadgroup).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("export_warehouse")]
QUARTERS = [f"{story.YEAR}-Q{n}" for n in range(1, 5)]


@pytest.fixture(scope="module")
def warehouse(refreshed_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, refreshed (once per test process, ``refreshed_demo``), copied for the module."""
    home = tmp_path_factory.mktemp("export") / "home"
    shutil.copytree(refreshed_demo, home, ignore=shutil.ignore_patterns(".publishing"))
    return Settings.from_env({}, home=home).warehouse_path


@pytest.fixture
def con(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_warehouse(warehouse) as connection:
        yield connection


def query(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def root_app() -> typer.Typer:
    """The real `monev` app."""
    from apps.cli.main import app

    return app


def form_rows(sheet: Worksheet) -> dict[str, list[Any]]:
    """The form's rows below its header, by what their first columns say."""
    rows: dict[str, list[Any]] = {}
    for values in sheet.iter_rows(min_row=FIRST_ROW, values_only=True):
        name = values[COLUMN["name"] - 1]
        code = values[COLUMN["code"] - 1]
        key = code or name
        if key:
            rows[str(key)] = list(values)
    return rows


def cell(row: list[Any], key: str) -> Any:
    return row[COLUMN[key] - 1]


@pytest.mark.parametrize("opd", [code for code, _, _ in story.OPDS])
def test_the_form_of_every_opd_and_quarter_matches_the_marts(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, opd: str
) -> None:
    for quarter in QUARTERS:
        path = tmp_path / f"{opd}-{quarter}.xlsx"
        build_evaluation_form(con, opd, quarter).save(path)
        sheet = load_workbook(path)["Evaluasi Renja"]  # as a reader opens it
        rows = form_rows(sheet)
        (summary,) = query(
            con, "select * from marts.opd_quarter where opd_code = ? and quarter = ?", opd, quarter
        )
        activities = query(
            con,
            "select * from marts.activity_quarter where opd_code = ? and quarter = ? and is_active",
            opd,
            quarter,
        )
        total = rows["Jumlah / total"]
        average = rows["Rata-rata capaian kinerja / average achievement"]
        assert cell(total, "target_rp") == summary["pagu_rp"]
        assert cell(total, "cumulative_rp") == summary["financial_realisation_rp"]
        assert cell(total, "achievement_rp") == pytest.approx(summary["absorption_pct"])
        assert cell(average, "achievement_k") == pytest.approx(summary["average_achievement_pct"])
        assert cell(average, "band") == summary["band"]
        assert len(activities) == summary["activity_count"]

        number = int(quarter[-1])
        activity_rows = [rows[a["activity_code"]] for a in activities]
        for n in range(1, number + 1):
            in_rows = sum(cell(r, f"rp{n}") or 0 for r in activity_rows)
            assert (cell(total, f"rp{n}") or 0) == in_rows
        for n in range(number + 1, 5):
            assert cell(total, f"rp{n}") is None
        by_quarter = sum(cell(total, f"rp{n}") or 0 for n in range(1, number + 1))
        assert by_quarter == summary["financial_realisation_rp"]

        for activity in activities:
            row = rows[activity["activity_code"]]
            spent = [cell(row, f"rp{n}") or 0 for n in range(1, number + 1)]
            assert sum(spent) == cell(row, "cumulative_rp")  # triwulan add up to the total
            reported = query(
                con,
                "select triwulan, financial_rp from marts.activity_quarter "
                "where activity_code = ? and fiscal_year = ? and triwulan <= ?",
                activity["activity_code"],
                story.YEAR,
                number,
            )
            for r in reported:
                assert cell(row, f"rp{r['triwulan']}") == r["financial_rp"]
            assert cell(row, "target_rp") == activity["pagu_rp"]
            assert cell(row, "cumulative_rp") == activity["financial_realisation_rp"]
            assert cell(row, "cumulative_k") == pytest.approx(activity["indicator_actual"])
            assert cell(row, "achievement_k") == pytest.approx(activity["achievement_pct"])
            assert cell(row, "band") == activity["band"]
            assert cell(row, "unit") == activity["indicator_unit"]


def test_the_joint_activity_appears_on_its_lead_opds_form_after_the_merge(
    con: duckdb.DuckDBPyConnection,
) -> None:
    joint = story.MERGE["joint_code"]
    before = form_rows(build_evaluation_form(con, story.MERGE["lead_opd"], "2017-Q1").active)
    after = form_rows(build_evaluation_form(con, story.MERGE["lead_opd"], "2017-Q2").active)
    assert joint not in before and story.MERGE["activities"][0] in before
    assert joint in after and story.MERGE["activities"][0] not in after
    assert "gabungan" in cell(after[joint], "name")
    assert cell(after[joint], "target_rp") == story.DEMO_FACTS["merged_budget_rp"]


def test_the_form_has_the_heading_programs_and_a_data_as_of_stamp(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sheet = build_evaluation_form(con, "DISKOPUKM", "2017-Q2").active
    heading = [sheet.cell(r, 1).value for r in range(1, 6)]
    assert heading[0] == "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH"
    assert "Triwulan II 2017" in heading[3]
    assert heading[4].startswith("Data per / data as of: ")
    rows = form_rows(sheet)
    assert rows[story.SATRYA_EMAS_PROGRAM][COLUMN["name"] - 1].startswith("Satrya Emas")
    # The printed footer carries the fingerprint of the event history (docs/fingerprint.md).
    (fingerprint,) = query(con, "select fingerprint from main.warehouse_meta")[0].values()
    assert f"fingerprint {fingerprint}" in sheet.oddFooter.left.text


def test_marts_export_as_csv_xlsx_and_parquet(con: duckdb.DuckDBPyConnection) -> None:
    expected = query(
        con, "select count(*) as n from marts.activity_quarter where quarter = '2017-Q2'"
    )[0]["n"]
    assert expected > 0
    text = mart_bytes(con, "activity_quarter", "Triwulan II 2017", "csv").decode("utf-8")
    # One comment line names the data's moment and the event history's fingerprint.
    comment, body = text.split("\n", 1)
    (fingerprint,) = query(con, "select fingerprint from main.warehouse_meta")[0].values()
    assert comment.startswith("# monev: data per / data as of 20")
    assert f"fingerprint {fingerprint} (posisi / position " in comment
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == expected and {r["quarter"] for r in rows} == {"2017-Q2"}
    table = pq.read_table(io.BytesIO(mart_bytes(con, "activity_quarter", "2017-Q2", "parquet")))
    assert table.num_rows == expected
    assert fingerprint in (table.schema.metadata or {})[b"monev"].decode()
    workbook = load_workbook(io.BytesIO(mart_bytes(con, "activity_quarter", "2017-Q2", "xlsx")))
    sheet = workbook["activity_quarter"]
    assert sheet.max_row == expected + 1
    assert workbook["Keterangan"]["B3"].value.startswith("20")
    assert fingerprint in workbook["Keterangan"]["B4"].value
    assert fingerprint in workbook.properties.description
    assert fingerprint in sheet.oddFooter.left.text
    everything = mart_bytes(con, "opd_quarter", None, "csv").decode("utf-8").split("\n", 1)[1]
    assert {r["quarter"] for r in csv.DictReader(io.StringIO(everything))} == set(QUARTERS)


def test_unknown_marts_formats_and_opds_are_refused_plainly(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    with pytest.raises(NotFoundError, match=r"is not a mart; the marts are: .*activity_quarter"):
        mart_bytes(con, "kegiatan", "2017-Q2", "csv")
    with pytest.raises(MonevError, match="not one of: csv, xlsx, parquet"):
        mart_bytes(con, "activity_quarter", "2017-Q2", "pdf")
    with pytest.raises(NotFoundError, match="NOPE"):
        build_evaluation_form(con, "NOPE", "2017-Q2")
    with pytest.raises(MonevError, match="does not exist yet"):
        export_form(tmp_path / "none.duckdb", "DISKOPUKM", "2017-Q2")


def test_the_cli_writes_the_form_and_a_mart(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONEV_HOME", str(warehouse.parent))
    monkeypatch.chdir(tmp_path)
    context.settings.cache_clear()
    try:
        runner = CliRunner()
        result = runner.invoke(
            root_app(), ["export", "form", "--opd", "DPMPTSP", "--quarter", "2017-Q3"]
        )
        assert result.exit_code == 0, result.output
        assert (tmp_path / "evaluasi-renja-DPMPTSP-2017-Q3.xlsx").is_file()
        result = runner.invoke(
            root_app(),
            ["export", "opd_quarter", "--quarter", "2017-Q3", "--format", "parquet", "-o", "x.pq"],
        )
        assert result.exit_code == 0, result.output
        assert pq.read_table(tmp_path / "x.pq").num_rows == len(story.OPDS)
        result = runner.invoke(root_app(), ["export", "form", "--quarter", "2017-Q3"])
        assert result.exit_code == 1 and "--opd" in result.output
    finally:
        context.settings.cache_clear()
