"""Disparitas wilayah: east vs rest over the quarters, the kecamatan, the inequality indices."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from apps.charts import figures, maps
from apps.streamlit import charts, queries
from apps.streamlit import formatting as fmt
from apps.streamlit.ui import quarter_label, require_data, t, url_choice

current = require_data()
lang, quarter = current.lang, current.quarter or ""
warehouse = current.warehouse
assert warehouse is not None
st.title(t("page_disparitas"))

trend = queries.disparity(warehouse)
kecamatan = queries.kecamatan(warehouse, quarter)
east_names = ", ".join(kecamatan.loc[kecamatan["is_east"].fillna(False), "kecamatan_name"])
st.caption(t("disparitas_intro", east=east_names))

now = trend[trend["quarter"] == quarter]
row = now.iloc[0] if len(now) else pd.Series(dtype="object")
has_population = bool(row.get("kecamatan_with_population") or 0)
share = (
    100.0 * row["theil_between"] / row["theil_index"]
    if has_population and row.get("theil_index")
    else None
)
kpis = st.columns(4)
kpis[0].metric(
    t("east") + " — " + t("budget"),
    fmt.format_rupiah_short(row.get("east_pagu_rp"), lang),
    border=True,
)
kpis[1].metric(
    t("rest") + " — " + t("budget"),
    fmt.format_rupiah_short(row.get("rest_pagu_rp"), lang),
    border=True,
)
kpis[2].metric(
    t("williamson"), fmt.format_number(row.get("williamson_index"), 3, lang), border=True
)
kpis[3].metric(t("between_share"), fmt.format_percent(share, 1, lang), border=True)
if not has_population:
    st.info(t("no_population"))
elif bool(row.get("is_population_demo")):
    st.warning(t("demo_population"))

labels = [quarter_label(code) for code in trend["quarter"]]
trend = trend.assign(label=labels)
left, right = st.columns(2)
# The same chart as in the rakor report (apps/charts/figures.py).
left.altair_chart(figures.east_vs_rest(trend, lang), width="stretch")

indices = pd.concat(
    [
        pd.DataFrame({"label": labels, "measure": t(key), "value": trend[column]})
        for column, key in (
            ("williamson_index", "williamson"),
            ("theil_index", "theil"),
            ("theil_between", "theil_between"),
        )
    ]
).dropna(subset=["value"])
indices["shown"] = [fmt.format_number(v, 4, lang) for v in indices["value"]]
if len(indices):
    right.altair_chart(
        charts.lines(
            indices,
            x="label",
            y="value",
            series="measure",
            title=t("indices_chart"),
            x_title=t("quarter"),
            y_title=t("index"),
            lang=lang,
            pattern=",.3f",
            x_sort=labels,
            tooltip=[
                alt.Tooltip("measure:N", title=t("measure")),
                alt.Tooltip("label:N", title=t("quarter")),
                alt.Tooltip("shown:N", title=t("value")),
            ],
        ),
        width="stretch",
    )
else:
    shares = trend.assign(
        shown=[fmt.format_percent(v, 1, lang) for v in trend["east_budget_share_pct"]],
        measure=t("east") + " (%)",
    )
    right.altair_chart(
        charts.lines(
            shares,
            x="label",
            y="east_budget_share_pct",
            series="measure",
            title=t("east") + " — % " + t("budget"),
            x_title=t("quarter"),
            y_title="%",
            lang=lang,
            pattern=",.1f",
            x_sort=labels,
        ),
        width="stretch",
    )

# The regency drawn: the chosen measure per kecamatan, the east outlined (apps/charts/maps.py,
# the same specification the rakor report renders).
chosen = url_choice(
    t("map_measure"),
    list(maps.MEASURE_KEYS),
    "peta",
    format_func=lambda key: t(f"measure_{key}"),
)
measure_key = str(chosen or maps.MEASURE_KEYS[0])
st.altair_chart(
    maps.disparity_map(
        queries.kecamatan_map(warehouse, quarter),
        measure_key,
        lang,
        title=t(
            "map_disparity_title",
            measure=t(f"measure_{measure_key}"),
            quarter=quarter_label(quarter),
        ),
    ),
    width="content",
    key="disparity_map",
)

st.subheader(t("kecamatan_table", quarter=quarter_label(quarter)))
table = pd.DataFrame(
    {
        t("kecamatan"): kecamatan["kecamatan_name"],
        t("region"): [t("east") if east else t("rest") for east in kecamatan["is_east"]],
        t("service_region"): kecamatan["service_region_name"],
        t("activities"): kecamatan["activity_count"],
        t("budget"): [fmt.format_rupiah(v, lang) for v in kecamatan["pagu_rp"]],
        t("realisation"): [
            fmt.format_rupiah(v, lang) for v in kecamatan["financial_realisation_rp"]
        ],
        t("absorption"): [fmt.format_percent(v, 1, lang) for v in kecamatan["absorption_pct"]],
        t("population"): [fmt.format_number(v, 0, lang) for v in kecamatan["population"]],
        t("per_capita"): [fmt.format_rupiah(v, lang) for v in kecamatan["pagu_per_capita_rp"]],
        t("mentors"): kecamatan["mentor_count"],
        t("umkm_assisted"): [fmt.format_number(v, 1, lang) for v in kecamatan["umkm_assisted"]],
    }
)
st.dataframe(table, hide_index=True, width="stretch")
