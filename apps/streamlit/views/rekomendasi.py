"""Rekomendasi & tindak lanjut: open and overdue recommendations per OPD at the chosen quarter."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from apps.streamlit import charts, queries, trail
from apps.streamlit import formatting as fmt
from apps.streamlit.ui import empty_note, quarter_label, require_data, t

current = require_data()
lang, quarter = current.lang, current.quarter or ""
warehouse = current.warehouse
assert warehouse is not None
st.title(t("page_rekomendasi"))

per_opd = queries.recommendations_per_opd(warehouse, quarter)
listing = queries.recommendations(warehouse, quarter)
kpis = st.columns(3)
kpis[0].metric(
    t("kpi_recs_open"),
    fmt.format_number(per_opd["recommendations_open"].sum(), 0, lang),
    border=True,
)
kpis[1].metric(
    t("kpi_recs_overdue"),
    fmt.format_number(per_opd["recommendations_overdue"].sum(), 0, lang),
    border=True,
)
kpis[2].metric(
    t("recs_done"), fmt.format_number(per_opd["recommendations_done"].sum(), 0, lang), border=True
)

st.subheader(t("recs_title", quarter=quarter_label(quarter)))
with_any = per_opd[
    (per_opd["recommendations_open"] > 0)
    | (per_opd["recommendations_overdue"] > 0)
    | (per_opd["recommendations_done"] > 0)
]
if not empty_note(with_any):
    long = pd.concat(
        [
            pd.DataFrame({"opd": with_any["opd_code"], "series": t(key), "value": with_any[column]})
            for column, key in (
                ("recommendations_open", "recs_open"),
                ("recommendations_overdue", "recs_overdue"),
                ("recommendations_done", "recs_done"),
            )
        ]
    )
    st.altair_chart(
        charts.grouped_bars(
            long,
            category="opd",
            value="value",
            series="series",
            title=t("recs_chart"),
            x_title=t("count"),
            lang=lang,
            colours={
                t("recs_open"): "#fdae61",
                t("recs_overdue"): "#d73027",
                t("recs_done"): "#1a9850",
            },
            tooltip=[
                alt.Tooltip("opd:N", title=t("opd")),
                alt.Tooltip("series:N", title=t("status")),
                alt.Tooltip("value:Q", title=t("count")),
            ],
        ),
        width="stretch",
    )
    st.dataframe(
        pd.DataFrame(
            {
                t("opd"): with_any["opd_code"],
                t("opd_name"): with_any["opd_name"],
                t("recs_open"): with_any["recommendations_open"],
                t("recs_overdue"): with_any["recommendations_overdue"],
                t("recs_done"): with_any["recommendations_done"],
            }
        ),
        hide_index=True,
        width="stretch",
    )

only_open = st.toggle(t("only_open"), value=True, key="only_open")
shown = listing[listing["status_then"] != "done"] if only_open else listing
if not empty_note(shown):
    status_text = {
        "open": t("status_open"),
        "overdue": t("status_overdue"),
        "done": t("status_done"),
    }
    st.dataframe(
        pd.DataFrame(
            {
                t("rec_code"): shown["recommendation_code"],
                t("opd"): shown["opd_code"],
                t("rec_text"): shown["recommendation_text"],
                t("activity"): shown["activity_code"].fillna(""),
                t("issued"): [quarter_label(q) for q in shown["issued_quarter"]],
                t("due"): [quarter_label(q) for q in shown["due_quarter"]],
                t("status"): [status_text[s] for s in shown["status_then"]],
                t("last_progress"): shown["last_progress"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
    )

codes = list(listing["recommendation_code"])
if codes:
    recommendation = st.selectbox(t("trail_choose_recommendation"), codes, key="jejak_rekomendasi")
    trail.show(warehouse, lang, str(recommendation), recommendation_code=str(recommendation))
