"""Proof on the dashboard: the fingerprint on every page, "Jejak data", and as-of builds.

Streamlit AppTest over the session's demo warehouse (built once, see ``conftest.py``); the
as-of build is made in a copy of that data directory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from apps.demo_story import DEMO_FACTS
from apps.refresh import refresh
from apps.streamlit import auth
from apps.streamlit.i18n import TEXTS
from projections.as_of import parse

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("dashboard")]

Opener = Callable[..., AppTest]
DashboardHome = Any


@pytest.fixture
def open_app(dashboard_env: Callable[..., None], dashboard_app: Any) -> Opener:
    def open_(home: DashboardHome, page: str, query: dict[str, str] | None = None) -> AppTest:
        dashboard_env(home)
        at = AppTest.from_file(str(dashboard_app), default_timeout=120)
        at.query_params.update(query or {})
        at.run()
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return open_


def stamped(home: DashboardHome) -> str:
    with duckdb.connect(str(home.warehouse), read_only=True) as con:
        row = con.execute("select fingerprint from main.warehouse_meta").fetchone()
    assert row is not None and len(row[0]) == 64
    return str(row[0])


def data_line(at: AppTest) -> Any:
    lines = [c for c in at.caption if c.value.startswith(":material/schedule:")]
    assert len(lines) == 1, [c.value for c in at.caption]
    return lines[0]


@pytest.mark.parametrize("page", auth.READ_PAGES)
def test_every_page_shows_the_short_fingerprint_and_the_full_one_on_hover(
    open_app: Opener, dashboard_home: DashboardHome, page: str
) -> None:
    fingerprint = stamped(dashboard_home)
    line = data_line(open_app(dashboard_home, page))
    assert f"sidik jari {fingerprint[:12]}" in line.value
    assert fingerprint not in line.value
    assert fingerprint in line.proto.help


def test_the_trail_of_a_corrected_evaluation_lists_the_original_and_the_correction(
    open_app: Opener, dashboard_home: DashboardHome
) -> None:
    activity, quarter = DEMO_FACTS["corrected_evaluation"]
    at = open_app(
        dashboard_home,
        "kinerja_opd",
        {"q": quarter, "opd": "DISKOPUKM", "kegiatan": activity},
    )
    title = f"Jejak data: {activity} · Triwulan I 2017"
    expanders = [e for e in at.expander if e.label == title]
    assert len(expanders) == 1, [e.label for e in at.expander]
    trail = expanders[0].dataframe[0].value
    events = list(trail[TEXTS["event"][0]])
    assert events == [TEXTS["ev_EvaluationRecorded"][0], TEXTS["ev_EvaluationCorrected"][0]]
    correction = trail.iloc[1]
    assert correction[TEXTS["who"][0]] == "opd-diskopukm"
    assert correction[TEXTS["role"][0]] == "opd · DISKOPUKM"
    assert correction[TEXTS["reason"][0]].startswith("Salah ketik jumlah peserta")
    assert "indikator 31" in correction[TEXTS["trail_change"][0]]
    assert trail.iloc[0][TEXTS["reason"][0]] == ""
    positions = list(trail[TEXTS["position"][0]])
    assert positions == sorted(positions)


def test_the_trail_of_a_recommendation_and_of_an_opd_quarter(
    open_app: Opener, dashboard_home: DashboardHome
) -> None:
    at = open_app(dashboard_home, "rekomendasi", {"q": "2017-Q4"})
    trail = at.expander[-1].dataframe[0].value
    assert trail[TEXTS["event"][0]].iloc[0] == TEXTS["ev_RecommendationIssued"][0]
    summary = open_app(dashboard_home, "ringkasan", {"q": "2017-Q1"})
    opd_trail = summary.expander[-1]
    assert opd_trail.label.startswith("Jejak data: ")
    assert len(opd_trail.dataframe[0].value) >= 1


def test_a_published_as_of_build_is_shown_read_only_and_labelled_with_its_rakor(
    open_app: Opener, writable_home: DashboardHome
) -> None:
    result = refresh(writable_home.settings, as_of=parse("rakor:2017-Q2"))
    name = result.published.name
    assert name == f"warehouse-asof-{result.position}.duckdb"
    at = open_app(writable_home, "ringkasan", {"data": name})
    assert at.selectbox(key="data").value == name
    notes = [i.value for i in at.info]
    assert any(n.startswith("Data per rakor Triwulan II 2017: arsip hanya baca") for n in notes)
    assert at.selectbox(key="q").value == "2017-Q2"
    assert f"sidik jari {(result.fingerprint or '')[:12]}" in data_line(at).value
    live = open_app(writable_home, "ringkasan")
    assert live.selectbox(key="q").value == "2017-Q4"
    assert not any("arsip hanya baca" in i.value for i in live.info)
