"""Sinergi: joint activities, the activities merged into them, problems and their activities."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from apps.streamlit import charts, queries
from apps.streamlit import formatting as fmt
from apps.streamlit.ui import band_text, empty_note, quarter_label, require_data, t

current = require_data()
lang, quarter = current.lang, current.quarter or ""
warehouse = current.warehouse
assert warehouse is not None
st.title(t("page_sinergi"))
st.caption(t("sinergi_intro"))

joint = queries.joint_activities(warehouse)
originals = queries.merged_originals(warehouse)
problems = queries.problems(warehouse, quarter)
kpis = st.columns(3)
kpis[0].metric(t("kpi_joint"), fmt.format_number(len(joint), 0, lang), border=True)
kpis[1].metric(t("kpi_merged"), fmt.format_number(len(originals), 0, lang), border=True)
kpis[2].metric(
    t("combined_budget"),
    fmt.format_rupiah_short(joint["pagu_rp"].sum() if len(joint) else 0, lang),
    border=True,
)

if not empty_note(joint):
    # Fits the page without scrolling sideways: each joint activity's merged originals are
    # listed in the table below (and named in the chart), so they are not repeated here.
    widths = {
        "joint_activity": 100,
        "name": 240,
        "lead_opd": 95,
        "participants": 170,
        "combined_budget": 130,
        "merged_at": 115,
        "absorption": 75,
        "achievement": 75,
        "band": 125,
    }
    st.dataframe(
        pd.DataFrame(
            {
                t("joint_activity"): joint["joint_activity_code"],
                t("name"): joint["joint_activity_name"],
                t("lead_opd"): joint["lead_opd_code"],
                t("participants"): joint["participating_opd_codes"],
                t("combined_budget"): [fmt.format_rupiah(v, lang) for v in joint["pagu_rp"]],
                t("merged_at"): [quarter_label(q) for q in joint["merged_from_quarter"]],
                t("absorption"): [fmt.format_percent(v, 1, lang) for v in joint["absorption_pct"]],
                t("achievement"): [
                    fmt.format_percent(v, 1, lang) for v in joint["achievement_pct"]
                ],
                t("band"): [band_text(v) for v in joint["band"]],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            t(key): st.column_config.TextColumn(width=width) for key, width in widths.items()
        },
    )
    budgets = pd.DataFrame(
        {
            "joint": originals["merged_into_code"],
            "part": originals["activity_code"] + " (" + originals["opd_code"] + ")",
            "value": originals["pagu_rp"],
        }
    )
    budgets["shown"] = [fmt.format_rupiah(v, lang) for v in budgets["value"]]
    st.altair_chart(
        alt.Chart(budgets, title=t("sinergi_chart"))
        .mark_bar()
        .encode(
            y=alt.Y("joint:N", title=t("joint_activity")),
            x=alt.X("value:Q", stack=True, axis=charts.axis(t("budget") + " (Rp)", lang)),
            color=alt.Color(
                "part:N", title=t("merged_activities"), legend=alt.Legend(orient="top")
            ),
            tooltip=[
                alt.Tooltip("part:N", title=t("activity")),
                alt.Tooltip("shown:N", title=t("budget")),
            ],
        )
        .properties(height={"step": 40}),
        width="stretch",
    )
    st.subheader(t("merged_activities"))
    st.dataframe(
        pd.DataFrame(
            {
                t("joint_activity"): originals["merged_into_code"],
                t("activity_code"): originals["activity_code"],
                t("activity"): originals["activity_name"],
                t("opd"): originals["opd_code"],
                t("budget"): [fmt.format_rupiah(v, lang) for v in originals["pagu_rp"]],
                t("realisation"): [
                    fmt.format_rupiah(v, lang) for v in originals["financial_realisation_rp"]
                ],
                t("achievement"): [
                    fmt.format_percent(v, 1, lang) for v in originals["achievement_pct"]
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )

st.subheader(t("problems_title", quarter=quarter_label(quarter)))
if not empty_note(problems):
    st.dataframe(
        pd.DataFrame(
            {
                t("problem"): problems["problem_code"],
                t("name"): problems["problem_title"],
                t("category"): problems["problem_category"],
                t("kecamatan"): problems["kecamatan_name"].fillna("–"),
                t("activities"): problems["activity_count"],
                t("addressed_by"): [
                    codes if codes else t("unaddressed") for codes in problems["activity_codes"]
                ],
                t("budget"): [fmt.format_rupiah(v, lang) for v in problems["pagu_rp"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )
