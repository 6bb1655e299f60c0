"""The rakor report of the demo's 2017-Q4, read back as a reader would: pdftotext, pdftoppm, Word.

Built from the dashboard tests' warehouse (the demo through the real pipeline, once per test
process), so the report and the dashboard are read from the same publish. The PDF is read with
Debian's poppler-utils and the DOCX with python-docx; one page image is kept under
``test-artifacts/report/`` for people to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import duckdb
import pytest

from apps.report import make_report
from apps.report.data import ReportError
from apps.streamlit import formatting as fmt
from domain.kecamatan import all_kecamatan

pytestmark = [pytest.mark.xdist_group("dashboard"), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "report"
QUARTER = "2017-Q4"
DashboardHome = Any  # conftest.DashboardHome


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: `make system-deps` installs poppler-utils.", pytrace=False)
    return found


def _query(warehouse: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchall()


@pytest.fixture(scope="module")
def pdf(dashboard_home: DashboardHome, tmp_path_factory: pytest.TempPathFactory) -> Path:
    name, content = make_report(dashboard_home.warehouse, QUARTER, "pdf")
    assert name == f"laporan-rakor-{QUARTER}.pdf"
    path = tmp_path_factory.mktemp("report") / name
    path.write_bytes(content)
    return path


@pytest.fixture(scope="module")
def pages(pdf: Path) -> list[str]:
    """The text of every page, in order (pdftotext, one call per page)."""
    info = subprocess.run(
        [_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    return [
        subprocess.run(
            [_tool("pdftotext"), "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


@pytest.fixture(scope="module")
def word(dashboard_home: DashboardHome) -> Iterator[Any]:
    name, content = make_report(dashboard_home.warehouse, QUARTER, "docx")
    assert name == f"laporan-rakor-{QUARTER}.docx"
    import io

    yield docx.Document(io.BytesIO(content))


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_names_the_quarter_every_opd_and_the_overdue_recommendations(
    dashboard_home: DashboardHome, pages: list[str]
) -> None:
    text = _flat("\n".join(pages))
    assert "LAPORAN HASIL EVALUASI TRIWULAN IV 2017" in text
    assert "Triwulan IV 2017" in text
    opds = [
        row[0]
        for row in _query(
            dashboard_home.warehouse,
            "select distinct opd_code from marts.opd_quarter where quarter = ?",
            QUARTER,
        )
    ]
    assert len(opds) >= 10
    for opd in opds:
        assert opd in text, opd
    overdue = _query(
        dashboard_home.warehouse,
        "select recommendation_code, recommendation_text from marts.recommendations "
        "where issued_quarter <= ? and due_quarter < ? "
        "and not coalesce(done_quarter <= ?, false)",
        QUARTER,
        QUARTER,
        QUARTER,
    )
    assert overdue, "the demo has overdue recommendations at 2017-Q4"
    section = text[text.index("Rekomendasi lewat tenggat pada akhir") :]
    for code, _ in overdue:
        assert code in section, code
    # The weak activities come with their stated obstacles.
    assert "Kegiatan berpredikat Rendah dan Sangat rendah" in text
    assert "Keterlambatan pengadaan dan cuaca." in text


def test_both_maps_are_drawn_with_their_kecamatan_names(pages: list[str]) -> None:
    names = [k.name for k in all_kecamatan()]
    disparity = [p for p in pages if "Pagu per kapita per kecamatan" in _flat(p)]
    coverage = [p for p in pages if "Cakupan pendamping per kecamatan" in _flat(p)]
    assert disparity and coverage
    # Map labels: each map names (nearly) every kecamatan; the map pages hold no table.
    for page in (disparity[0], coverage[0]):
        shown = [name for name in names if name in page]
        assert len(shown) >= 20, shown
    assert "Wilayah pelayanan Satrya Emas" in _flat(coverage[0])
    assert "WP-1" in coverage[0]


def test_every_page_footer_shows_the_data_position_and_page_number(
    dashboard_home: DashboardHome, pages: list[str]
) -> None:
    meta_columns = {
        row[0]
        for row in _query(
            dashboard_home.warehouse,
            "select column_name from information_schema.columns "
            "where table_schema = 'main' and table_name = 'warehouse_meta'",
        )
    }
    wanted = (
        "fingerprint, last_position" if "fingerprint" in meta_columns else "null, last_position"
    )
    fingerprint, position = _query(
        dashboard_home.warehouse, f"select {wanted} from main.warehouse_meta"
    )[0]
    assert position > 200
    stamp = f"posisi peristiwa {fmt.format_number(position, 0, 'id')}"
    assert len(pages) >= 5
    for number, page in enumerate(pages, start=1):
        flat = _flat(page)
        assert stamp in flat, number
        assert f"Halaman {number} dari {len(pages)}" in flat, number
        if fingerprint:
            assert str(fingerprint)[:16] in flat, number


def test_pdftoppm_renders_every_page_and_one_is_kept(pdf: Path, pages: list[str]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = pdf.parent / "page"
    subprocess.run([_tool("pdftoppm"), "-r", "40", "-png", str(pdf), str(out)], check=True)
    images = sorted(pdf.parent.glob("page-*.png"))
    assert len(images) == len(pages)
    assert all(image.stat().st_size > 2_000 for image in images)
    maps_page = next(i for i, p in enumerate(pages, start=1) if "Peta kabupaten" in p and i > 2)
    subprocess.run(
        [
            _tool("pdftoppm"),
            "-r",
            "80",
            "-png",
            "-singlefile",
            "-f",
            str(maps_page),
            "-l",
            str(maps_page),
            str(pdf),
            str(ARTIFACTS / "laporan-rakor-2017-Q4-peta"),
        ],
        check=True,
    )
    kept = ARTIFACTS / "laporan-rakor-2017-Q4-peta.png"
    assert kept.stat().st_size > 20_000


def test_the_docx_holds_the_league_table_as_a_table(
    dashboard_home: DashboardHome, word: Any
) -> None:
    league = [
        table
        for table in word.tables
        if [cell.text for cell in table.rows[0].cells][:3] == ["No", "OPD", "Nama OPD"]
    ]
    assert len(league) == 1
    rows = [[cell.text for cell in row.cells] for row in league[0].rows[1:]]
    expected = [
        row[0]
        for row in _query(
            dashboard_home.warehouse,
            "select opd_code from marts.opd_quarter where quarter = ? "
            "order by average_achievement_pct desc nulls last, absorption_pct desc nulls last, "
            "opd_code",
            QUARTER,
        )
    ]
    assert [row[1] for row in rows] == expected
    assert all(row[4].startswith("Rp ") for row in rows)
    assert any("Triwulan IV 2017" in p.text for p in word.paragraphs)
    footer = word.sections[0].footer.paragraphs[0].text
    assert "posisi peristiwa" in footer
    assert len(word.inline_shapes) == 4  # band chart, two maps, east vs rest


def test_a_quarter_without_data_is_refused_not_reported(dashboard_home: DashboardHome) -> None:
    with pytest.raises(
        ReportError, match="holds no data for 2018-Q1; quarters on record: 2017-Q1 to"
    ):
        make_report(dashboard_home.warehouse, "2018-Q1", "pdf")


def _monev(home: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MONEV_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [str(Path(sys.executable).parent / "monev"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def test_the_command_writes_the_report_and_refuses_an_empty_quarter_in_one_line(
    dashboard_home: DashboardHome, tmp_path: Path
) -> None:
    written = _monev(
        dashboard_home.home, "report", "rakor", QUARTER, "--format", "docx", cwd=tmp_path
    )
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "laporan-rakor-2017-Q4.docx").read_bytes()[:2] == b"PK"
    assert "Laporan rakor 2017-Q4 (DOCX) ditulis ke" in written.stdout

    refused = _monev(dashboard_home.home, "report", "rakor", "2018-Q1", cwd=tmp_path)
    assert refused.returncode == 1
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Ditolak: Gudang data tidak memuat data 2018-Q1; triwulan yang")
    assert not (tmp_path / "laporan-rakor-2018-Q1.pdf").exists()

    # An as-of build given as its file is read as it is (here: a copy of the publish).
    as_of = tmp_path / "warehouse-asof.duckdb"
    shutil.copyfile(dashboard_home.warehouse, as_of)
    out = tmp_path / "asof.pdf"
    copied = _monev(
        dashboard_home.home,
        "report",
        "rakor",
        "II/2017",
        "--as-of",
        str(as_of),
        "--output",
        str(out),
        cwd=tmp_path,
    )
    assert copied.returncode == 0, copied.stderr
    assert out.read_bytes()[:5] == b"%PDF-"
