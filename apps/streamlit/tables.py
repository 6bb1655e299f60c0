"""Long display tables, formatted once per publish and language, not on every page view.

Formatting a thousand activities (money, percentages, bands, translated headers) costs the
server's Python more than the query behind them, and while it runs it holds up the messages
that carry the page's first KPIs to the browser. The finished tables are therefore cached like
the queries: under the warehouse's publish key, the query's values and the language, never the
visitor.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from apps.streamlit import formatting as fmt
from apps.streamlit import queries
from apps.streamlit.i18n import translate
from apps.streamlit.ui import band_text


@st.cache_data(show_spinner=False, max_entries=500)
def _opd_activities(
    path: str,
    key: tuple[int, int, int],
    quarter: str,
    opd_code: str,
    lang: str,
    search: str,
    page: int,
    size: int,
) -> pd.DataFrame:
    activities = queries.opd_activities(
        queries.Warehouse(path, key),
        quarter,
        opd_code,
        search,
        limit=size,
        offset=(page - 1) * size,
    )

    def t(name: str) -> str:
        return translate(name, lang)

    return pd.DataFrame(
        {
            t("activity_code"): activities["activity_code"],
            t("activity"): activities["activity_name"],
            t("kecamatan"): activities["kecamatan_name"].fillna("–"),
            t("budget"): [fmt.format_rupiah(v, lang) for v in activities["pagu_rp"]],
            t("absorption"): [fmt.format_percent(v, 1, lang) for v in activities["absorption_pct"]],
            t("physical"): [
                fmt.format_percent(v, 1, lang) for v in activities["physical_to_date_pct"]
            ],
            t("indicator"): activities["indicator_name"],
            t("target"): [fmt.format_number(v, 1, lang) for v in activities["indicator_target"]],
            t("actual"): [fmt.format_number(v, 1, lang) for v in activities["indicator_actual"]],
            t("achievement"): [
                fmt.format_percent(v, 1, lang) for v in activities["achievement_pct"]
            ],
            t("band"): [band_text(v, lang) for v in activities["band"]],
            t("merged_into"): activities["merged_into_code"].fillna(""),
            t("recs_open"): activities["open_recommendations"],
        }
    )


def opd_activities(
    warehouse: queries.Warehouse,
    quarter: str,
    opd_code: str,
    lang: str,
    search: str = "",
    page: int = 1,
) -> pd.DataFrame:
    """One page (``queries.ACTIVITY_PAGE_SIZE`` rows) of an OPD's activities in a quarter, those
    matching ``search``, as the Kinerja OPD page shows them."""
    return _opd_activities(
        warehouse.path,
        warehouse.key,
        quarter,
        opd_code,
        lang,
        search.strip().lower(),
        page,
        queries.ACTIVITY_PAGE_SIZE,
    )
