"""Satrya Emas: mentor coverage per kecamatan and service region, mentors against their targets."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from apps.charts import maps
from apps.streamlit import charts, queries
from apps.streamlit import formatting as fmt
from apps.streamlit.ui import empty_note, quarter_label, require_data, t

current = require_data()
lang, quarter = current.lang, current.quarter or ""
warehouse = current.warehouse
assert warehouse is not None
st.title(t("page_satrya_emas"))

coverage = queries.mentor_coverage(warehouse, quarter)
mentors = queries.mentors(warehouse, quarter)
kpis = st.columns(4)
kpis[0].metric(
    t("kpi_gaps"), fmt.format_number(int(coverage["is_gap"].sum()), 0, lang), border=True
)
kpis[1].metric(
    t("kpi_doubles"), fmt.format_number(int(coverage["is_doubled"].sum()), 0, lang), border=True
)
kpis[2].metric(
    t("kpi_mentors"),
    fmt.format_number(int((mentors["kecamatan_count"] > 0).sum()), 0, lang),
    border=True,
)
kpis[3].metric(
    t("kpi_umkm"),
    f"{fmt.format_number(mentors['umkm_assisted'].sum(), 0, lang)} / "
    f"{fmt.format_number(mentors['umkm_target'].sum(), 0, lang)}",
    border=True,
)

st.subheader(t("coverage_title", quarter=quarter_label(quarter)))
st.caption(t("coverage_legend"))
if not empty_note(coverage):
    # The regency drawn: coverage beside the service regions (the report renders the same).
    st.altair_chart(
        maps.coverage_map(
            coverage, lang, title=t("map_coverage_title", quarter=quarter_label(quarter))
        ),
        width="content",
        key="coverage_map",
    )
    state = [
        t("gap") if gap else t("doubled") if doubled else t("covered")
        for gap, doubled in zip(coverage["is_gap"], coverage["is_doubled"], strict=True)
    ]
    colours = {t("gap"): "#d73027", t("doubled"): "#fdae61", t("covered"): "#a6d96a"}
    table = pd.DataFrame(
        {
            t("kecamatan"): coverage["kecamatan_name"],
            t("service_region"): coverage["service_region_name"].fillna("–"),
            t("region"): [t("east") if e else t("rest") for e in coverage["is_east"]],
            t("mentor_count"): coverage["mentor_count"],
            t("mentor_names"): coverage["mentor_codes"].fillna(""),
            t("coverage"): state,
        }
    )
    st.dataframe(
        table.style.apply(
            lambda column: [f"background-color: {colours[v]}; color: #111" for v in column],
            subset=[t("coverage")],
        ),
        hide_index=True,
        width="stretch",
    )
    regions = (
        coverage.assign(region=coverage["service_region_name"].fillna("–"), state=state, n=1)
        .groupby(["region", "state"], as_index=False)["n"]
        .sum()
    )
    st.altair_chart(
        charts.grouped_bars(
            regions,
            category="region",
            value="n",
            series="state",
            title=t("region_chart"),
            x_title=t("kecamatan"),
            lang=lang,
            colours=colours,
            tooltip=[
                alt.Tooltip("region:N", title=t("service_region")),
                alt.Tooltip("state:N", title=t("coverage")),
                alt.Tooltip("n:Q", title=t("kecamatan")),
            ],
        ),
        width="stretch",
    )

st.subheader(t("mentor_title", quarter=quarter_label(quarter)))
if not empty_note(mentors):
    st.dataframe(
        pd.DataFrame(
            {
                t("mentor"): mentors["mentor_code"],
                t("name"): mentors["mentor_name"],
                t("mentor_kind"): mentors["mentor_kind"],
                t("kecamatan_count"): mentors["kecamatan_count"],
                t("doubled"): [t("yes") if d else "" for d in mentors["is_dobel"]],
                t("score"): [fmt.format_number(v, 1, lang) for v in mentors["commitment_score"]],
                t("reports"): mentors["reports_submitted"],
                t("umkm_assisted"): mentors["umkm_assisted"],
                t("umkm_target"): mentors["umkm_target"],
                t("umkm_vs_target"): [
                    fmt.format_percent(v, 1, lang) for v in mentors["umkm_achievement_pct"]
                ],
                t("permits"): mentors["permits_facilitated"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    evaluated = mentors[mentors["has_evaluation"].fillna(False)]
    if len(evaluated):
        long = pd.concat(
            [
                pd.DataFrame(
                    {"mentor": evaluated["mentor_code"], "series": t(key), "value": evaluated[col]}
                )
                for col, key in (("umkm_assisted", "umkm_assisted"), ("umkm_target", "umkm_target"))
            ]
        )
        st.altair_chart(
            charts.grouped_bars(
                long,
                category="mentor",
                value="value",
                series="series",
                title=t("mentor_chart"),
                x_title="UMKM",
                lang=lang,
                colours={t("umkm_assisted"): "#1a9850", t("umkm_target"): "#bdbdbd"},
            ),
            width="stretch",
        )
