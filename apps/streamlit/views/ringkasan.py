"""Ringkasan: the chosen quarter's KPIs against the previous quarter, and activities per band."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from apps.charts import figures
from apps.streamlit import formatting as fmt
from apps.streamlit import queries, trail
from apps.streamlit.ui import (
    band_badge,
    quarter_label,
    require_data,
    t,
)

current = require_data()
lang, quarter, previous = current.lang, current.quarter or "", current.previous_quarter or ""
# The first quarter on record has nothing to be compared with: no changes are shown then,
# rather than "+10 against Triwulan IV 2016" for a quarter that holds no data.
compared = previous in current.quarters
st.title(t("page_ringkasan"))
if compared:
    st.caption(
        t("ringkasan_intro", quarter=quarter_label(quarter), previous=quarter_label(previous))
    )
else:
    st.caption(t("ringkasan_intro_first", quarter=quarter_label(quarter)))

kpis = queries.overview(current.warehouse, quarter, previous)  # type: ignore[arg-type]
now = kpis[kpis["quarter"] == quarter]
before = kpis[kpis["quarter"] == previous]
row = now.iloc[0] if len(now) else pd.Series(dtype="object")
old = before.iloc[0] if len(before) else None


def change(column: str) -> float | None:
    if old is None or pd.isna(row.get(column)) or pd.isna(old.get(column)):
        return None
    return float(row[column]) - float(old[column])


def delta_text(column: str, kind: str) -> str | None:
    difference = change(column)
    if difference is None:
        return None
    if kind == "rp":
        return fmt.format_signed_rupiah_short(difference, lang)
    if kind == "points":
        return fmt.format_points(difference, 1, lang)
    return fmt.format_signed_number(difference, 0, lang)


def steady(column: str, colour: str = "normal") -> dict[str, Any]:
    """No arrow and no colour for "no change": Streamlit would show "+0" as a green rise."""
    if change(column) == 0:
        return {"delta_arrow": "off", "delta_color": "off"}
    return {"delta_arrow": "auto", "delta_color": colour}


def full(column: str) -> str:
    """The exact amounts behind a shortened money tile, now and in the previous quarter."""
    then = fmt.format_rupiah(old.get(column), lang) if old is not None else fmt.MISSING
    return (
        f"{quarter_label(quarter)}: {fmt.format_rupiah(row.get(column), lang)}  \n"
        f"{quarter_label(previous)}: {then}"
    )


first = st.columns(4)
first[0].metric(
    t("kpi_budget"),
    fmt.format_rupiah_short(row.get("pagu_rp"), lang),
    delta_text("pagu_rp", "rp"),
    **steady("pagu_rp", "off"),
    help=full("pagu_rp"),
    border=True,
)
first[1].metric(
    t("kpi_realisation"),
    fmt.format_rupiah_short(row.get("financial_realisation_rp"), lang),
    delta_text("financial_realisation_rp", "rp"),
    **steady("financial_realisation_rp"),
    help=full("financial_realisation_rp"),
    border=True,
)
first[2].metric(
    t("kpi_absorption"),
    fmt.format_percent(row.get("absorption_pct"), 1, lang),
    delta_text("absorption_pct", "points"),
    **steady("absorption_pct"),
    border=True,
)
first[3].metric(
    t("kpi_achievement"),
    fmt.format_percent(row.get("average_achievement_pct"), 1, lang),
    delta_text("average_achievement_pct", "points"),
    **steady("average_achievement_pct"),
    border=True,
)
if row.get("band") is not None and not pd.isna(row.get("band")):
    first[3].markdown(band_badge(row.get("band")))

second = st.columns(4)
second[0].metric(
    t("kpi_activities"),
    fmt.format_number(row.get("activity_count"), 0, lang),
    delta_text("activity_count", "count"),
    **steady("activity_count", "off"),
    border=True,
)
second[1].metric(
    t("kpi_physical"),
    fmt.format_percent(row.get("average_physical_pct"), 1, lang),
    delta_text("average_physical_pct", "points"),
    **steady("average_physical_pct"),
    border=True,
)
second[2].metric(
    t("kpi_compliance"),
    fmt.format_percent(row.get("reporting_compliance_pct"), 1, lang),
    delta_text("reporting_compliance_pct", "points"),
    **steady("reporting_compliance_pct"),
    border=True,
)
second[3].metric(
    t("kpi_recs_overdue"),
    fmt.format_number(row.get("recommendations_overdue"), 0, lang),
    delta_text("recommendations_overdue", "count"),
    **steady("recommendations_overdue", "inverse"),
    border=True,
)

st.subheader(t("bands_title"))
counts = queries.band_counts(current.warehouse, quarter, previous)  # type: ignore[arg-type]
table = figures.band_table(counts, quarter, previous, lang)

left, right = st.columns([2, 3])
with left:
    for record in table.to_dict("records"):
        line = f"{band_badge(record['key'])} **{record['now']}**"
        if compared:
            difference = int(record["now"]) - int(record["before"])
            sign = f"{difference:+d}" if difference else "±0"
            against = t("vs_previous", previous=quarter_label(previous))
            line += f" :gray[({sign} {against})]"
        st.markdown(line)
with right:
    # The same chart as in the rakor report (apps/charts/figures.py).
    st.altair_chart(
        figures.band_chart(table, lang),
        width="stretch",
    )

agencies = queries.opds(current.warehouse)  # type: ignore[arg-type]
if len(agencies):
    names = dict(zip(agencies["opd_code"], agencies["opd_name"], strict=True))
    agency = st.selectbox(
        t("trail_choose_opd"),
        list(names),
        key="jejak_opd",
        format_func=lambda code: f"{code} — {names.get(code, '')}",
    )
    trail.show(
        current.warehouse,  # type: ignore[arg-type]
        lang,
        f"{agency} · {quarter_label(quarter)}",
        opd_code=str(agency),
        quarter=quarter,
    )
