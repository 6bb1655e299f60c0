"""The dashboard in Debian's headless Chromium, served exactly as `monev dashboard` serves it.

Sign-in is required here (public read off), so the test also shows that nothing is readable
before signing in, even by typing a page's address.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

pytestmark = [pytest.mark.xdist_group("dashboard"), pytest.mark.browser, pytest.mark.slow]

TIMEOUT_MS = 90_000
KPI = '[data-testid="stMetricValue"]'
CHART = '[data-testid="stVegaLiteChart"]'
# Link text in the sidebar, the page's address, and whether it draws a chart.
PAGES = (
    ("Ringkasan", "", True),
    ("Disparitas wilayah", "disparitas", True),
    ("Kinerja OPD", "kinerja_opd", True),
    ("Rekomendasi & tindak lanjut", "rekomendasi", True),
    ("Satrya Emas", "satrya_emas", True),
    ("Sinergi", "sinergi", True),
    ("Unduh", "unduh", False),
)
FORM_HEADINGS = (
    "No",
    "Kode",
    "Program / Kegiatan",
    "Indikator Kinerja Program (outcome) / Kegiatan (output)",
    "Satuan",
    "Target Kinerja dan Anggaran Tahun 2017",
    "Realisasi Triwulan I",
    "Realisasi Triwulan II",
    "Realisasi Triwulan III",
    "Realisasi Triwulan IV",
    "Realisasi Kinerja dan Anggaran s.d. Triwulan IV 2017",
    "Tingkat Capaian s.d. Triwulan IV 2017 (%)",
    "Predikat Kinerja",
    "Faktor Pendorong",
    "Faktor Penghambat",
    "Tindak Lanjut (rekomendasi rakor)",
)


def settled(page: Any) -> None:
    """Waits until Streamlit has finished running the script for what is on screen."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS
    )


def sign_in(page: Any, url: str, user: str, password: str) -> None:
    page.goto(f"{url}/?q=2017-Q4")
    page.get_by_label("Nama pengguna").fill(user)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Kinerja OPD").wait_for(timeout=TIMEOUT_MS)
    settled(page)


def test_a_shared_link_asks_for_a_sign_in_then_opens_the_linked_view(
    dashboard_url: str, browser_page: Any, dashboard_password: str
) -> None:
    page = browser_page
    page.goto(f"{dashboard_url}/kinerja_opd?q=2017-Q2&opd=DISPERTA&kegiatan=A-DISPERTA-01")
    page.get_by_label("Kata sandi").wait_for(timeout=TIMEOUT_MS)
    settled(page)
    # Nothing is readable before signing in, even by the page's address.
    assert page.locator(KPI).count() == 0
    assert page.get_by_role("link", name="Kinerja OPD").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("Masuk untuk membuka halaman Kinerja OPD").count() == 1

    page.get_by_label("Nama pengguna").fill("pimpinan")
    page.get_by_label("Kata sandi").fill(dashboard_password)
    page.get_by_role("button", name="Masuk").click()
    page.locator(KPI).first.wait_for(timeout=TIMEOUT_MS)
    settled(page)
    assert page.get_by_role("heading", name="Peringkat OPD Triwulan II 2017").count() == 1
    assert page.get_by_role("heading", name="Riwayat peristiwa A-DISPERTA-01").count() == 1
    assert "opd=DISPERTA" in page.url and "q=2017-Q2" in page.url


def test_a_signed_in_admin_opens_every_page_with_kpis_and_charts(
    dashboard_url: str,
    browser_page: Any,
    dashboard_password: str,
    screenshots_dir: Path,
) -> None:
    page = browser_page
    sign_in(page, dashboard_url, "admin", dashboard_password)
    for link, path, has_chart in PAGES:
        page.get_by_role("link", name=link, exact=True).click()
        page.wait_for_url(f"{dashboard_url}/{path}?**", timeout=TIMEOUT_MS)
        page.locator(KPI).first.wait_for(timeout=TIMEOUT_MS)
        settled(page)
        assert page.locator(KPI).count() >= 2, link
        assert page.get_by_text("Data per ").count() >= 1, link
        if has_chart:
            page.locator(CHART).first.wait_for(timeout=TIMEOUT_MS)
        assert "q=2017-Q4" in page.url
        page.screenshot(path=str(screenshots_dir / f"{path or 'ringkasan'}.png"), full_page=True)

    page.get_by_role("link", name="Input", exact=True).click()
    page.wait_for_url(f"{dashboard_url}/input?**", timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Simpan").wait_for(timeout=TIMEOUT_MS)
    settled(page)
    page.screenshot(path=str(screenshots_dir / "input.png"), full_page=True)
    assert page.get_by_text("Traceback").count() == 0


def test_the_evaluation_form_download_opens_in_openpyxl_with_the_form_columns(
    dashboard_url: str,
    browser_page: Any,
    dashboard_password: str,
    screenshots_dir: Path,
    tmp_path: Path,
) -> None:
    page = browser_page
    sign_in(page, dashboard_url, "opd-diskopukm", dashboard_password)
    page.get_by_role("link", name="Unduh", exact=True).click()
    page.get_by_role("button", name="Unduh formulir DISKOPUKM Triwulan IV 2017").wait_for(
        timeout=TIMEOUT_MS
    )
    settled(page)
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        page.get_by_role("button", name="Unduh formulir DISKOPUKM Triwulan IV 2017").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "evaluasi-renja-DISKOPUKM-2017-Q4.xlsx"

    sheet = load_workbook(io.BytesIO(saved.read_bytes())).active
    headings = _row_texts(sheet, 7)
    for heading in FORM_HEADINGS:
        assert heading in headings, heading
    assert _row_texts(sheet, 8).count("K") == 7  # target, I-IV, to date, achievement
    assert _row_texts(sheet, 8).count("Rp") == 7
    codes = {sheet.cell(row, 2).value for row in range(10, sheet.max_row + 1)}
    assert "A-DISKOP-01" in codes
    page.screenshot(path=str(screenshots_dir / "unduh-opd.png"), full_page=True)


def _row_texts(sheet: Any, row: int) -> list[str]:
    values = (sheet.cell(row, column).value for column in range(1, sheet.max_column + 1))
    return [str(value) for value in values if value is not None]
