"""The dashboard in Debian's headless Chromium, served exactly as `monev dashboard` serves it.

The server runs with a deployment's defaults (sign-in required), so the tests also show that
nothing is readable before signing in, even by typing a page's address or through a proxy, and
that a signed-in session behaves like a web application's (reload, new tab, sign-out).
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

pytestmark = [pytest.mark.xdist_group("dashboard"), pytest.mark.browser, pytest.mark.slow]

TIMEOUT_MS = 90_000
KPI = '[data-testid="stMetricValue"]'
CHART = '[data-testid="stVegaLiteChart"]'
SIGN_IN_LINK = "a.monev-sign-in"
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


def fill_sign_in_form(page: Any, user: str, password: str) -> None:
    """The HTTP sign-in page (apps/streamlit/account.py), not a Streamlit widget."""
    page.get_by_label("Nama pengguna").fill(user)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def sign_in(page: Any, url: str, user: str, password: str, next_path: str = "/?q=2017-Q4") -> None:
    page.goto(f"{url}/akun/masuk?next={quote(next_path, safe='')}")
    fill_sign_in_form(page, user, password)
    page.get_by_role("link", name="Kinerja OPD").wait_for(timeout=TIMEOUT_MS)
    settled(page)


def signed_in_as_reader(page: Any) -> bool:
    settled(page)
    return page.get_by_role("link", name="Kinerja OPD").count() == 1


def test_a_shared_link_asks_for_a_sign_in_then_opens_the_linked_view(
    dashboard_url: str, browser_page: Any, dashboard_password: str
) -> None:
    page = browser_page
    page.goto(f"{dashboard_url}/kinerja_opd?q=2017-Q2&opd=DISPERTA&kegiatan=A-DISPERTA-01")
    page.locator(SIGN_IN_LINK).wait_for(timeout=TIMEOUT_MS)
    settled(page)
    # Nothing is readable before signing in, even by the page's address.
    assert page.locator(KPI).count() == 0
    assert page.get_by_role("link", name="Kinerja OPD").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("Masuk untuk membuka halaman Kinerja OPD").count() == 1

    page.locator(SIGN_IN_LINK).click()
    page.get_by_label("Kata sandi").wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_text("5 kali gagal dalam satu menit").count() == 1  # said on the form
    fill_sign_in_form(page, "pimpinan", dashboard_password)
    page.locator(KPI).first.wait_for(timeout=TIMEOUT_MS)
    settled(page)
    assert page.get_by_role("heading", name="Peringkat OPD Triwulan II 2017").count() == 1
    assert page.get_by_role("heading", name="Riwayat peristiwa A-DISPERTA-01").count() == 1
    assert "opd=DISPERTA" in page.url and "q=2017-Q2" in page.url


def test_a_session_survives_a_reload_and_a_new_tab_and_signing_out_revokes_it(
    dashboard_url: str, browser_page: Any, dashboard_password: str
) -> None:
    page = browser_page
    sign_in(page, dashboard_url, "pimpinan", dashboard_password)
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "monev_session"]
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert cookie["path"] == "/"
    assert time.time() < cookie["expires"] <= time.time() + 12 * 3600 + 60
    assert page.evaluate("document.cookie").find("monev_session") == -1  # no script reads it

    page.reload()
    page.get_by_role("link", name="Kinerja OPD").wait_for(timeout=TIMEOUT_MS)
    assert signed_in_as_reader(page)
    tab = page.context.new_page()
    tab.goto(f"{dashboard_url}/sinergi?q=2017-Q4")
    tab.locator(KPI).first.wait_for(timeout=TIMEOUT_MS)
    assert signed_in_as_reader(tab)

    page.get_by_role("button", name="Keluar").click()
    page.locator(SIGN_IN_LINK).wait_for(timeout=TIMEOUT_MS)
    # The cookie is still in the browser, but the server revoked its session.
    assert [c for c in page.context.cookies() if c["name"] == "monev_session"]
    tab.reload()
    tab.locator(SIGN_IN_LINK).wait_for(timeout=TIMEOUT_MS)
    assert not signed_in_as_reader(tab)
    assert tab.locator(KPI).count() == 0


def test_an_anonymous_visitor_behind_a_proxy_sees_only_the_sign_in_page(
    proxied_dashboard_url: str, browser_page: Any
) -> None:
    """The proxy connects from loopback, which once meant "public read"; now nothing is read."""
    page = browser_page
    for path in ("/", "/kinerja_opd?q=2017-Q2", "/unduh", "/input"):
        page.goto(f"{proxied_dashboard_url}{path}")
        page.locator(SIGN_IN_LINK).wait_for(timeout=TIMEOUT_MS)
        settled(page)
        assert page.locator(KPI).count() == 0, path
        assert page.locator(CHART).count() == 0, path
        assert page.get_by_role("link", name="Kinerja OPD").count() == 0, path
        assert page.get_by_role("button", name="Unduh").count() == 0, path
        assert page.get_by_text("Demo lokal").count() == 0, path


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
