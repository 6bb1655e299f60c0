"""The maps and the report downloads through Streamlit's AppTest, on the demo's warehouse.

Both maps must be on their pages with the 24 kecamatan of the reference boundaries, for every
measure the disparity map offers; the Unduh page offers the rakor report in both formats.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from apps.charts import maps

pytestmark = [pytest.mark.xdist_group("dashboard"), pytest.mark.slow]

QUARTER = "2017-Q4"
DashboardHome = Any  # conftest.DashboardHome


@pytest.fixture
def open_page(
    dashboard_home: DashboardHome, dashboard_env: Callable[..., None], dashboard_app: Path
) -> Callable[..., AppTest]:
    """A page of the app as an anonymous reader (public read on a loopback address)."""

    def open_(page: str, **query: str) -> AppTest:
        dashboard_env(dashboard_home)
        at = AppTest.from_file(str(dashboard_app), default_timeout=120)
        at.query_params.update({"q": QUARTER, **query})
        at.run()
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return open_


def _maps(at: AppTest) -> list[dict[str, Any]]:
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    return [spec for spec in specs if maps.feature_count(spec)]


def test_the_disparity_page_draws_the_kecamatan_map_for_every_measure(
    open_page: Callable[..., AppTest],
) -> None:
    at = open_page("disparitas")
    (spec,) = _maps(at)
    assert maps.feature_count(spec) == 24
    assert "Pagu per kapita per kecamatan, Triwulan IV 2017" in json.dumps(spec)
    choice = next(box for box in at.selectbox if box.label == "Ukuran pada peta")
    assert choice.value == "pagu_per_capita"
    for key in maps.MEASURE_KEYS[1:]:
        choice.set_value(key).run()
        assert not at.exception, [e.message for e in at.exception]
        (spec,) = _maps(at)
        assert maps.feature_count(spec) == 24, key
        assert at.query_params["peta"] in (key, [key])  # the view can be shared by its URL
    assert "Rata-rata capaian (predikat)" not in json.dumps(spec)  # the last measure: UMKM
    assert "UMKM didampingi per kecamatan" in json.dumps(spec)


def test_the_satrya_emas_page_draws_coverage_with_mentor_codes_in_the_tooltip(
    open_page: Callable[..., AppTest],
) -> None:
    at = open_page("satrya_emas")
    (spec,) = _maps(at)
    assert maps.feature_count(spec) == 24
    text = json.dumps(spec)
    assert "Cakupan pendamping per kecamatan, Triwulan IV 2017" in text
    assert "Wilayah pelayanan Satrya Emas" in text
    assert '"M01"' in text and '"M02, M17"' in text  # Rejoso's two mentors, as the tooltip shows
    for state in ("kosong", "terisi", "dobel"):
        assert f'"{state}"' in text


def test_the_unduh_page_offers_the_rakor_report_as_pdf_and_docx(
    open_page: Callable[..., AppTest],
) -> None:
    at = open_page("unduh")
    labels = [button.label for button in at.get("download_button")]
    assert "Unduh laporan PDF" in labels
    assert "Unduh laporan DOCX" in labels
    assert any(s.value == "Laporan rakor triwulan" for s in at.subheader)
