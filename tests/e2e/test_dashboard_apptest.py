"""The dashboard through Streamlit's AppTest, on a warehouse built by the real pipeline.

Every page is run for every role that has it; the rules about who sees and records what are
checked through the app itself (and, for crafted state, against the domain's refusal), and a
form submission is followed through a refresh into the marts and the activity's history.
"""

from __future__ import annotations

import inspect
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from impossible_values import assert_nothing_impossible, numbers, texts
from streamlit.testing.v1 import AppTest

from apps.dashboard_server import SERVER_FLAGS, command
from apps.demo_story import DEMO_FACTS, MERGE
from apps.streamlit import auth, commands, forms, queries, tables
from apps.streamlit import formatting as fmt
from apps.streamlit.i18n import TEXTS
from apps.streamlit.ui import band_key
from domain.events import all_event_classes
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

pytestmark = [pytest.mark.xdist_group("dashboard"), pytest.mark.slow]

QUARTER = "2017-Q4"
PREVIOUS = "2017-Q3"
READ_PAGES = auth.READ_PAGES
ROLES = {
    "anonymous": None,
    "viewer": "pimpinan",
    "opd": "opd-diskopukm",
    "admin": "admin",
}

Opener = Callable[..., AppTest]
DashboardHome = Any  # conftest.DashboardHome: the data directory fixtures hand out


@pytest.fixture
def open_app(
    dashboard_home: DashboardHome, dashboard_env: Callable[..., None], dashboard_app: Path
) -> Opener:
    """Runs the entry script as ``user`` (None: not signed in), then the page asked for."""

    def open_(
        page: str | None = None,
        *,
        user: str | None = None,
        home: DashboardHome | Path | None = None,
        query: dict[str, str] | None = None,
        state: dict[str, Any] | None = None,
        public_read: str = "1",
    ) -> AppTest:
        dashboard_env(home or dashboard_home, public_read=public_read)
        at = AppTest.from_file(str(dashboard_app), default_timeout=120)
        at.query_params.update({"q": QUARTER, **(query or {})})
        if user:
            at.session_state[auth.SESSION_USER] = user
            at.session_state[auth.SESSION_VIA] = "password"
        for key, value in (state or {}).items():
            at.session_state[key] = value
        at.run()
        if page:
            at.switch_page(f"views/{page}.py").run()
        return at

    return open_


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]


def kpi(at: AppTest, label: str) -> Any:
    for element in at.metric:
        if element.label == label:
            return element
    raise AssertionError(f"No KPI '{label}' among {[m.label for m in at.metric]}")


def metric(at: AppTest, label: str) -> str:
    return str(kpi(at, label).value)


def words(key: str) -> str:
    """The Indonesian text of an i18n key, as the page shows it."""
    return TEXTS[key][0]


def press(at: AppTest, label: str) -> AppTest:
    """Clicks the button with this label (the sidebar has buttons too) and reruns."""
    buttons = [b for b in at.button if b.label == label]
    assert len(buttons) == 1, [b.label for b in at.button]
    return buttons[0].click().run()


def marts(home: DashboardHome, sql: str, *params: object) -> Any:
    with duckdb.connect(str(home.warehouse), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchone()[0]


def rows(home: DashboardHome, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(home.warehouse), read_only=True) as connection:
        return connection.execute(sql, list(params)).fetchall()


# -- every page, every role ----------------------------------------------------------------------


def check_ringkasan(at: AppTest, home: DashboardHome) -> None:
    pagu = marts(home, "select sum(pagu_rp) from marts.opd_quarter where quarter = ?", QUARTER)
    assert metric(at, "Pagu anggaran") == fmt.format_rupiah_short(pagu)
    assert any(
        "Kinerja Triwulan IV 2017 dibandingkan Triwulan III 2017" in c.value for c in at.caption
    )
    # Against the previous quarter: the change is the difference of the two quarters' marts.
    spent = {
        quarter: marts(
            home,
            "select sum(financial_realisation_rp) from marts.opd_quarter where quarter = ?",
            quarter,
        )
        for quarter in (QUARTER, PREVIOUS)
    }
    assert spent[QUARTER] != spent[PREVIOUS]
    realisation = kpi(at, "Realisasi keuangan")
    assert realisation.value == fmt.format_rupiah_short(spent[QUARTER])
    assert realisation.delta == fmt.format_signed_rupiah_short(spent[QUARTER] - spent[PREVIOUS])
    # Activities per band: each band's count, as a coloured badge that also names the band.
    counts = rows(
        home,
        "select band, count(*) from marts.activity_quarter "
        "where quarter = ? and is_active and band is not null group by band",
        QUARTER,
    )
    assert len(counts) >= 3
    lines = [m.value for m in at.markdown]
    for band, count in counts:
        label = words(f"band_{band_key(band)}")
        assert any(
            line.split("-badge[")[0] in (":green", ":orange", ":red")
            and f"-badge[{label}] **{count}**" in line
            for line in lines
        ), (band, count, lines)


def check_disparitas(at: AppTest, home: DashboardHome) -> None:
    east = marts(
        home, "select east_pagu_rp from marts.disparity_quarter where quarter = ?", QUARTER
    )
    assert metric(at, "Timur — Pagu") == fmt.format_rupiah_short(east)
    williamson = marts(
        home, "select williamson_index from marts.disparity_quarter where quarter = ?", QUARTER
    )
    assert metric(at, "Indeks Williamson") == fmt.format_number(williamson, 3)


def check_kinerja_opd(at: AppTest, home: DashboardHome) -> None:
    league = at.dataframe[0].value
    opds = marts(home, "select count(*) from marts.opd_quarter where quarter = ?", QUARTER)
    assert len(league) == opds
    assert at.selectbox(key="opd").value in set(league["OPD"])
    # Drill-down: the chosen activity's whole history, each event with who, when and role.
    activity = at.selectbox(key="kegiatan").value
    events = marts(
        home,
        "select count(*) from events.event_log where aggregate_id = "
        "(select aggregate_id from events.activity_registered where code = ?)",
        activity,
    )
    history = at.dataframe[-1].value
    assert len(history) == events >= 2
    assert history[words("event_type")].iloc[0] == "ActivityRegistered"
    assert history[words("event")].iloc[0] == words("ev_ActivityRegistered")
    for column in ("who", "recorded_at", "role"):
        assert all(isinstance(v, str) and v for v in history[words(column)]), column


def check_rekomendasi(at: AppTest, home: DashboardHome) -> None:
    overdue = sum(len(codes) for codes in DEMO_FACTS["overdue_at_2017_Q4"].values())
    assert metric(at, "Rekomendasi lewat tenggat") == str(overdue)


def check_satrya_emas(at: AppTest, home: DashboardHome) -> None:
    gaps = DEMO_FACTS["kecamatan_without_mentor"][QUARTER]
    assert metric(at, "Kecamatan tanpa pendamping") == str(len(gaps))
    doubled = DEMO_FACTS["kecamatan_with_two_mentors"][QUARTER]
    assert metric(at, "Kecamatan ≥2 pendamping") == str(len(doubled))
    # The coverage table names each kecamatan's state (its cell is also coloured).
    coverage = at.dataframe[0].value
    state = dict(zip(coverage[words("kecamatan")], coverage[words("coverage")], strict=True))
    assert {k for k, v in state.items() if v == words("gap")} == set(gaps)
    assert {k for k, v in state.items() if v == words("doubled")} == set(doubled)


def check_sinergi(at: AppTest, home: DashboardHome) -> None:
    assert metric(at, "Kegiatan digabung") == str(len(MERGE["activities"]))
    assert metric(at, "Pagu gabungan") == fmt.format_rupiah_short(DEMO_FACTS["merged_budget_rp"])


def check_unduh(at: AppTest, home: DashboardHome) -> None:
    assert metric(at, "Mart tersedia") == str(len(queries.MARTS))
    labels = [b.label for b in at.get("download_button")]
    assert sum(label == "Unduh CSV" for label in labels) == len(queries.MARTS)
    assert any(label.startswith("Unduh formulir") for label in labels)


def check_input(at: AppTest, home: DashboardHome) -> None:
    assert at.selectbox(key="form").value == "record_evaluation"
    assert "Simpan" in [b.label for b in at.button]


def check_masuk(at: AppTest, home: DashboardHome) -> None:
    # The password goes to the HTTP sign-in page (apps/streamlit/account.py), never a widget.
    assert not at.text_input
    (link,) = [h.proto.body for h in at.get("html") if "monev-sign-in" in h.proto.body]
    assert 'href="/akun/masuk?lang=id&amp;next=%2F%3Fq%3D2017-Q4%26lang%3Did"' in link


CHECKS: dict[str, Callable[[AppTest, DashboardHome], None]] = {
    "ringkasan": check_ringkasan,
    "disparitas": check_disparitas,
    "kinerja_opd": check_kinerja_opd,
    "rekomendasi": check_rekomendasi,
    "satrya_emas": check_satrya_emas,
    "sinergi": check_sinergi,
    "unduh": check_unduh,
    "input": check_input,
    "masuk": check_masuk,
}
CASES = [
    (role, page)
    for role, user in ROLES.items()
    for page in auth.page_keys(
        auth.Visitor(user, role=None if user is None else role), public_read=True
    )
]


@pytest.mark.parametrize(("role", "page"), CASES, ids=[f"{r}-{p}" for r, p in CASES])
def test_every_page_renders_for_every_role_that_has_it(
    open_app: Opener, dashboard_home: DashboardHome, role: str, page: str
) -> None:
    at = open_app(page, user=ROLES[role])
    no_exception(at)
    CHECKS[page](at, dashboard_home)
    if page in READ_PAGES:
        assert any(c.value.startswith(":material/schedule: Data per") for c in at.caption)


# -- who sees what -------------------------------------------------------------------------------


def test_a_viewer_has_no_input_page(open_app: Opener) -> None:
    at = open_app(user="pimpinan")
    no_exception(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/input.py")


def test_a_stranger_sees_only_the_sign_in_page_by_default(open_app: Opener) -> None:
    at = open_app(public_read="0")
    no_exception(at)
    assert not at.metric
    assert [h for h in at.get("html") if "monev-sign-in" in h.proto.body]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/ringkasan.py")


def test_public_read_set_for_the_demo_is_said_on_every_page(open_app: Opener) -> None:
    at = open_app("kinerja_opd", public_read="1")
    no_exception(at)
    assert any("Demo lokal" in w.value for w in at.warning)
    signed_in = open_app("kinerja_opd", user="admin", public_read="0")
    assert not any("Demo lokal" in w.value for w in signed_in.warning)


def test_an_opd_user_is_offered_only_its_own_activities(open_app: Opener) -> None:
    at = open_app("input", user="opd-diskopukm")
    no_exception(at)
    offered = at.selectbox(key="ev_activity").options
    assert offered and all(option.startswith("A-DISKOP-") for option in offered)
    at.selectbox(key="form").set_value("follow_up").run()
    codes = [o.split(" — ")[0] for o in at.selectbox(key="fu_code").options]
    assert all(c in _recommendations_of("DISKOPUKM", at) for c in codes)


def _recommendations_of(opd: str, at: AppTest) -> set[str]:
    home = Path(at.session_state["_monev_view"].settings.home)
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as connection:
        rows = connection.execute(
            "select recommendation_code from marts.recommendations where opd_code = ?", [opd]
        ).fetchall()
    return {r[0] for r in rows}


def test_an_opd_user_cannot_reach_admin_forms_through_the_url(open_app: Opener) -> None:
    at = open_app("input", user="opd-diskopukm", query={"form": "close_quarter"})
    no_exception(at)
    assert at.selectbox(key="form").value == "record_evaluation"
    assert "close_quarter" not in at.selectbox(key="form").options


def test_an_opd_user_cannot_record_for_another_agency_even_with_crafted_state(
    open_app: Opener, dashboard_home: DashboardHome
) -> None:
    before = dashboard_home.last_position()
    at = open_app(
        "input",
        user="opd-diskopukm",
        query={"form": "register_activity"},
        state={"input_opd": "DISPERTA"},
    )
    at.text_input(key="ra_code").set_value("A-SELUNDUP-01")
    at.text_input(key="ra_name").set_value("Kegiatan titipan")
    at.text_input(key="ra_pagu").set_value("10.000.000")
    at.text_input(key="ra_indicator").set_value("Keluaran")
    at.text_input(key="ra_unit").set_value("paket")
    at.text_input(key="ra_annual").set_value("4")
    at.text_input(key="ra_targets").set_value("1;1;1;1")
    press(at, "Simpan")
    no_exception(at)
    assert [e.value for e in at.error] == [
        "Ditolak: "
        + words("refusal_PermissionDeniedError")
        + " Tidak ada yang disimpan.\n\nKeterangan: Pengguna 'opd-diskopukm' dari DISKOPUKM "
        "tidak dapat mendaftarkan kegiatan untuk DISPERTA: staf OPD hanya bertindak untuk "
        "instansinya sendiri."
    ]
    assert not at.success
    assert dashboard_home.last_position() == before


def test_a_closed_quarter_refuses_a_new_evaluation_in_plain_words(
    open_app: Opener, dashboard_home: DashboardHome
) -> None:
    before = dashboard_home.last_position()
    at = open_app("input", user="opd-diskopukm")
    at.selectbox(key="ev_activity").set_value("A-DISKOP-01")
    at.selectbox(key="ev_quarter").set_value(QUARTER)
    at.text_input(key="ev_physical").set_value("80")
    at.text_input(key="ev_rp").set_value("10.000.000")
    at.text_input(key="ev_indicator").set_value("390")
    press(at, "Simpan")
    no_exception(at)
    assert len(at.error) == 1
    assert at.error[0].value.startswith("Ditolak: " + words("refusal_QuarterClosedError"))
    assert "sudah ditutup" in at.error[0].value.lower()
    assert dashboard_home.last_position() == before


def test_an_impossible_percentage_typed_the_indonesian_way_is_refused_by_the_domain(
    open_app: Opener, dashboard_home: DashboardHome
) -> None:
    before = dashboard_home.last_position()
    at = open_app(
        "input", user="admin", query={"form": "correct_evaluation", "input_opd": "DISKOPUKM"}
    )
    at.selectbox(key="co_activity").set_value("A-DISKOP-02")
    at.text_input(key="co_physical").set_value("120,5")
    at.text_input(key="co_rp").set_value("1.000.000")
    at.text_input(key="co_indicator").set_value("1")
    at.text_area(key="co_reason").set_value("Uji batas")
    press(at, "Simpan")
    no_exception(at)
    assert len(at.error) == 1
    assert at.error[0].value.startswith("Ditolak: " + words("refusal_InvalidInputError"))
    assert "Keterangan: Realisasi fisik harus antara 0 dan 100 persen, bukan 120,5." in (
        at.error[0].value
    )
    assert dashboard_home.last_position() == before


def test_a_submitted_correction_is_stored_and_after_a_refresh_shows_in_marts_and_history(
    open_app: Opener,
    writable_home: DashboardHome,
    refresh_dashboard: Callable[[Settings], None],
) -> None:
    reason = "Koreksi uji dasbor: salah ketik realisasi fisik."
    history_before = open_app(
        "kinerja_opd",
        home=writable_home,
        query={"opd": "DISKOPUKM", "kegiatan": "A-DISKOP-01"},
    )
    assert reason not in set(history_before.dataframe[-1].value["Alasan"])

    at = open_app("input", user="opd-diskopukm", home=writable_home)
    at.selectbox(key="form").set_value("correct_evaluation").run()
    at.selectbox(key="co_activity").set_value("A-DISKOP-01")
    at.selectbox(key="co_quarter").set_value(QUARTER)
    at.text_input(key="co_physical").set_value("77,0")
    at.text_input(key="co_rp").set_value("99.000.000")
    at.text_input(key="co_indicator").set_value("390")
    at.text_area(key="co_reason").set_value(reason)
    press(at, "Simpan")
    no_exception(at)
    assert not at.error
    assert "EvaluationCorrected" in at.success[0].value
    assert words("ev_EvaluationCorrected") in at.success[0].value
    # Each stored field under its Indonesian label, in Indonesian number formats.
    assert f"{words('field_physical_pct')}: 77,0%" in at.success[0].value
    assert f"{words('field_quarter')}: Triwulan IV 2017" in at.success[0].value
    assert f"{words('field_indicator_value')}: 390 ·" in at.success[0].value
    assert "physical_pct" not in at.success[0].value

    refresh_dashboard(writable_home.settings)
    physical = marts(
        writable_home,
        "select physical_pct from marts.activity_quarter "
        "where activity_code = 'A-DISKOP-01' and quarter = ?",
        QUARTER,
    )
    assert physical == 77.0

    # The same process (and its caches) sees the new publish without a restart.
    after = open_app(
        "kinerja_opd",
        home=writable_home,
        query={"opd": "DISKOPUKM", "kegiatan": "A-DISKOP-01"},
    )
    no_exception(after)
    history = after.dataframe[-1].value
    corrected = history[history[words("event_type")] == "EvaluationCorrected"]
    assert set(corrected[words("event")]) == {words("ev_EvaluationCorrected")}
    assert reason in set(corrected["Alasan"])
    assert "opd-diskopukm" in set(corrected["Oleh"])


# -- URL, language, formats, no warehouse ------------------------------------------------------


def test_the_quarter_and_filters_live_in_the_url(open_app: Opener) -> None:
    at = open_app(
        "kinerja_opd", query={"q": "2017-Q2", "opd": "DISPERTA", "kegiatan": "A-DISPERTA-01"}
    )
    no_exception(at)
    assert at.selectbox(key="q").value == "2017-Q2"
    assert at.selectbox(key="opd").value == "DISPERTA"
    assert at.selectbox(key="kegiatan").value == "A-DISPERTA-01"
    assert at.query_params["q"] == "2017-Q2"
    assert at.query_params["opd"] == "DISPERTA"
    assert any("Triwulan II 2017" in s.value for s in at.subheader)
    # A choice made on the page is written back, so the address shares what is on screen.
    at.selectbox(key="opd").set_value("DISKOPUKM").run()
    no_exception(at)
    assert at.query_params["opd"] == "DISKOPUKM"
    assert at.query_params["kegiatan"].startswith("A-DISKOP-")
    assert at.query_params["q"] == "2017-Q2"


def test_the_activities_table_pages_and_finds_without_losing_the_chosen_activity(
    open_app: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DISPERTA has four activities in 2017-Q4: two pages of two.
    monkeypatch.setattr(queries, "ACTIVITY_PAGE_SIZE", 2)
    at = open_app("kinerja_opd", query={"opd": "DISPERTA"})
    no_exception(at)
    codes = words("activity_code")
    assert list(at.dataframe[1].value[codes]) == ["A-DISPERTA-01", "A-DISPERTA-02"]
    assert at.selectbox(key="kegiatan").value == "A-DISPERTA-01"
    at.selectbox(key="halaman").set_value(2).run()
    no_exception(at)
    assert list(at.dataframe[1].value[codes]) == ["J-INFLASI-2017", "A-DISPERTA-03"]
    assert at.query_params["halaman"] == "2"
    # The chosen activity stays chosen (and its history shown) while another page is on screen.
    assert at.selectbox(key="kegiatan").value == "A-DISPERTA-01"
    assert any(o.startswith("A-DISPERTA-03 — ") for o in at.selectbox(key="kegiatan").options)
    assert any("A-DISPERTA-01" in s.value for s in at.subheader)
    # A search looks through every page and starts again on the first; it is kept in the URL.
    at.text_input(key="cari").set_value("inflasi").run()
    no_exception(at)
    assert list(at.dataframe[1].value[codes]) == ["J-INFLASI-2017"]
    assert at.query_params["cari"] == "inflasi" and "halaman" not in at.query_params
    at.text_input(key="cari").set_value("tidak-ada").run()
    assert any("tidak-ada" in i.value for i in at.info)
    # A shared link to an activity on a later page opens that activity.
    shared = open_app("kinerja_opd", query={"opd": "DISPERTA", "kegiatan": "A-DISPERTA-03"})
    no_exception(shared)
    assert shared.selectbox(key="kegiatan").value == "A-DISPERTA-03"
    assert list(shared.dataframe[1].value[codes]) == ["A-DISPERTA-01", "A-DISPERTA-02"]


def test_every_stored_field_has_a_label_in_both_languages() -> None:
    fields = {"activity_code": "A-DISKOP-01", "physical_pct": "77.0", "quarter": "2017-Q4"}
    fields |= {"indicator_value": "1234.5", "fiscal_year": "2017"}
    assert forms.event_details(fields, "id") == (
        "Kode kegiatan: A-DISKOP-01 · Realisasi fisik: 77,0% · Triwulan: Triwulan IV 2017"
        " · Capaian indikator: 1.234,5 · Tahun anggaran: 2017"
    )
    assert forms.event_details(fields, "en") == (
        "Activity code: A-DISKOP-01 · Physical realisation: 77.0% · Quarter: Quarter IV 2017"
        " · Indicator value: 1,234.5 · Fiscal year: 2017"
    )
    envelope = {"originator_id", "originator_version", "timestamp", "originator_topic", "actor"}
    for event_class in all_event_classes():
        for name in set(vars(event_class).get("__annotations__", {})) - envelope:
            assert f"field_{name}" in TEXTS, (event_class.__name__, name)


def test_each_mart_downloads_as_csv_for_the_chosen_quarter(
    dashboard_home: DashboardHome,
) -> None:
    warehouse = queries.locate(dashboard_home.warehouse)
    assert warehouse is not None
    counts = queries.mart_row_counts(warehouse, "2017-Q2")
    for mart in queries.MARTS:
        data = queries.mart_csv(warehouse, mart, "2017-Q2")
        assert data.startswith(b"# monev: data per / data as of "), mart  # and fingerprint
        frame = pd.read_csv(io.BytesIO(data), skiprows=1)
        assert len(frame) == counts[mart] > 0, mart
        if "quarter" in frame.columns:
            assert set(frame["quarter"]) == {"2017-Q2"}, mart


def test_the_first_quarter_on_record_is_compared_with_nothing(open_app: Opener) -> None:
    at = open_app("ringkasan", query={"q": "2017-Q1"})
    no_exception(at)
    assert any("belum ada pembanding" in c.value for c in at.caption)
    assert not any(m.delta for m in at.metric)
    assert not any("2016" in m.value for m in at.markdown)


def test_the_english_switch_translates_words_and_number_formats(open_app: Opener) -> None:
    at = open_app("ringkasan", query={"lang": "en"})
    no_exception(at)
    assert at.title[0].value == "Overview"
    value = metric(at, "Budget absorption")
    assert value.endswith("%") and "," not in value


def test_without_a_warehouse_the_pages_say_how_to_make_one(
    open_app: Opener, tmp_path: Path
) -> None:
    at = open_app("ringkasan", home=tmp_path)
    no_exception(at)
    assert "Gudang data belum tersedia: jalankan `monev refresh`." in [i.value for i in at.info]


def test_indonesian_formats() -> None:
    assert fmt.format_rupiah(1234567) == "Rp 1.234.567"
    assert fmt.format_percent(60) == "60,0%"
    assert fmt.quarter_label("2017-Q2") == "Triwulan II 2017"
    assert fmt.quarter_label("2017-Q2", "en") == "Quarter II 2017"
    assert fmt.format_rupiah_short(6_765_000_000) == "Rp 6,77 M"
    assert fmt.format_rupiah_short(600_000_000) == "Rp 600 jt"


def test_every_text_has_both_languages() -> None:
    for key, (indonesian, english) in TEXTS.items():
        assert indonesian and english, key
    for kind in (*commands.REFUSAL_KINDS, "not_signed_in"):
        assert f"refusal_{kind}" in TEXTS, kind


# -- the rules of caching and serving ------------------------------------------------------------


@pytest.mark.parametrize("module", [queries, tables], ids=["queries", "tables"])
def test_cached_functions_take_the_warehouse_and_values_never_the_visitor(module: Any) -> None:
    source = inspect.getsource(module)
    for forbidden in ("session_state", "st.user", "Visitor", "Actor", "apps.streamlit.auth"):
        assert forbidden not in source
    for name, function in inspect.getmembers(module, inspect.isfunction):
        if function.__module__ == module.__name__:
            parameters = set(inspect.signature(function).parameters)
            assert not parameters & {"user", "visitor", "role", "user_id"}, name


def test_public_read_is_off_unless_set_explicitly_whatever_the_address() -> None:
    for host in ("127.0.0.1", "localhost", "0.0.0.0", "10.1.2.3"):
        assert not auth.public_read_allowed(host, {})
        assert not auth.public_read_allowed(host, {auth.PUBLIC_READ_ENV: "auto"})
        assert not auth.public_read_allowed(host, {auth.PUBLIC_READ_ENV: "0"})
        assert auth.public_read_allowed(host, {auth.PUBLIC_READ_ENV: "1"})


def test_the_server_binds_loopback_headless_without_telemetry_watcher_or_error_details(
    tmp_path: Path,
) -> None:
    args = command(Settings.from_env({}, home=tmp_path))
    assert args[1:4] == ["-m", "streamlit", "run"]
    for flag in (
        "--server.address=127.0.0.1",
        "--server.port=8501",
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        "--client.showErrorDetails=none",
    ):
        assert flag in args
    assert SERVER_FLAGS["server.runOnSave"] == "false"
    assert not (Path(args[4]).parent / "pages").exists()  # see apps/streamlit/app.py


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(physical=numbers, financial=numbers, indicator=numbers, reason=texts)
def test_the_input_form_never_stores_the_impossible(
    open_app: Opener,
    writable_home: DashboardHome,
    physical: str,
    financial: str,
    indicator: str,
    reason: str,
) -> None:
    """Hostile values typed into the correction form: a refusal stores nothing; whatever is
    stored is finite, within the pagu and free of control characters."""
    before = writable_home.last_position()
    at = open_app(
        "input",
        user="admin",
        home=writable_home,
        query={"form": "correct_evaluation", "input_opd": "DISKOPUKM"},
    )
    at.selectbox(key="co_activity").set_value("A-DISKOP-01")
    at.selectbox(key="co_quarter").set_value(QUARTER)
    at.text_input(key="co_physical").set_value(physical)
    at.text_input(key="co_rp").set_value(financial)
    at.text_input(key="co_indicator").set_value(indicator)
    at.text_area(key="co_reason").set_value(reason)
    press(at, "Simpan")
    no_exception(at)
    app = build_application(Settings.from_env({}, home=writable_home.home))
    if at.error:
        assert app.last_position() == before, "a refused form stored something"
    else:
        assert at.success, "the form neither stored nor refused"
        assert_nothing_impossible(app, before)
    app.close()
