"""The two maps in Debian's headless Chromium: each page is screenshotted and the map's pixels
(or SVG paths) are counted, so a map that failed to draw cannot pass as an empty frame."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

pytestmark = [pytest.mark.xdist_group("dashboard"), pytest.mark.browser, pytest.mark.slow]

TIMEOUT_MS = 90_000
CHART = '[data-testid="stVegaLiteChart"]'
# Painted share of a chart's canvas (not white, not transparent), or its SVG's drawn paths.
DRAWN = """
(chart) => {
  const canvas = chart.querySelector('canvas');
  if (canvas) {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 0; i < data.length; i += 4) {
      const white = data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245;
      if (data[i + 3] > 0 && !white) painted++;
    }
    return {kind: 'canvas', share: painted / (canvas.width * canvas.height), paths: 0};
  }
  const svg = chart.querySelector('svg');
  return {kind: 'svg', share: 0, paths: svg ? svg.querySelectorAll('path').length : 0};
}
"""


def _settled(page: Any) -> None:
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS
    )


def _sign_in(page: Any, url: str, password: str) -> None:
    """Through the HTTP sign-in page (apps/streamlit/account.py), as a reader signs in."""
    page.goto(f"{url}/akun/masuk?next={quote('/?q=2017-Q4', safe='')}")
    page.get_by_label("Nama pengguna").fill("pimpinan")
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_role("link", name="Disparitas wilayah").wait_for(timeout=TIMEOUT_MS)
    _settled(page)


def _map_drawn(page: Any, index: int) -> dict[str, Any]:
    chart = page.locator(CHART).nth(index)
    chart.scroll_into_view_if_needed(timeout=TIMEOUT_MS)
    chart.locator("canvas, svg").first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)  # Vega paints the canvas just after it is attached
    result: dict[str, Any] = chart.evaluate(DRAWN)
    return result


@pytest.mark.parametrize(
    ("link", "path", "index", "charts"),
    [("Disparitas wilayah", "disparitas", 2, 3), ("Satrya Emas", "satrya_emas", 0, 3)],
)
def test_each_map_draws_in_chromium_and_is_screenshotted(
    dashboard_url: str,
    browser_page: Any,
    dashboard_password: str,
    screenshots_dir: Path,
    link: str,
    path: str,
    index: int,
    charts: int,
) -> None:
    page = browser_page
    _sign_in(page, dashboard_url, dashboard_password)
    page.get_by_role("link", name=link, exact=True).click()
    page.wait_for_url(f"{dashboard_url}/{path}?**", timeout=TIMEOUT_MS)
    page.locator(CHART).nth(charts - 1).wait_for(timeout=TIMEOUT_MS)
    _settled(page)
    assert page.locator(CHART).count() == charts
    drawn = _map_drawn(page, index)
    if drawn["kind"] == "canvas":
        # Kecamatan fills cover a good part of the frame; an empty or failed chart is white.
        assert drawn["share"] > 0.15, drawn
    else:
        assert drawn["paths"] >= 24, drawn
    page.screenshot(path=str(screenshots_dir / f"peta-{path}.png"), full_page=True)
    assert page.get_by_text("Traceback").count() == 0


def test_the_unduh_page_downloads_the_rakor_report_as_pdf(
    dashboard_url: str, browser_page: Any, dashboard_password: str, tmp_path: Path
) -> None:
    page = browser_page
    _sign_in(page, dashboard_url, dashboard_password)
    page.get_by_role("link", name="Unduh", exact=True).click()
    button = page.get_by_role("button", name="Unduh laporan PDF")
    button.wait_for(timeout=TIMEOUT_MS)
    _settled(page)
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        button.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "laporan-rakor-2017-Q4.pdf"
    assert saved.read_bytes()[:5] == b"%PDF-"
    assert saved.stat().st_size > 50_000  # the charts and maps are in it
