"""Kinerja OPD: the league table, then one OPD's activities, then one activity's full history."""

from __future__ import annotations

import json

import altair as alt
import pandas as pd
import streamlit as st

from apps.streamlit import charts, queries, tables, trail
from apps.streamlit import formatting as fmt
from apps.streamlit.i18n import TEXTS
from apps.streamlit.ui import (
    band_badge,
    band_colour,
    band_label,
    band_text,
    empty_note,
    quarter_label,
    require_data,
    t,
    url_choice,
    url_text,
)

current = require_data()
lang, quarter = current.lang, current.quarter or ""
warehouse = current.warehouse
assert warehouse is not None
st.title(t("page_kinerja_opd"))

league = queries.opd_league(warehouse, quarter)
st.subheader(t("league_title", quarter=quarter_label(quarter)))
if empty_note(league):
    st.stop()

best = league.iloc[0]
top = st.columns(3)
# The agency's code goes in the label: a long code as the tile's value would be cut off.
top[0].metric(
    t("best_opd", opd=best["opd_short_name"] or best["opd_code"]),
    fmt.format_percent(best["average_achievement_pct"], 1, lang),
    help=str(best["opd_name"]),
    border=True,
)
top[1].metric(
    t("kpi_absorption"),
    fmt.format_percent(
        100.0 * league["financial_realisation_rp"].sum() / max(1, league["pagu_rp"].sum()), 1, lang
    ),
    border=True,
)
top[2].metric(
    t("kpi_compliance"),
    fmt.format_percent(
        100.0
        * league["evaluations_submitted"].sum()
        / max(1, league["evaluations_expected"].sum()),
        1,
        lang,
    ),
    border=True,
)

table = pd.DataFrame(
    {
        t("rank"): range(1, len(league) + 1),
        t("opd"): league["opd_code"],
        t("opd_name"): league["opd_name"],
        t("activities"): league["activity_count"],
        t("budget"): [fmt.format_rupiah(v, lang) for v in league["pagu_rp"]],
        t("realisation"): [fmt.format_rupiah(v, lang) for v in league["financial_realisation_rp"]],
        t("absorption"): [fmt.format_percent(v, 1, lang) for v in league["absorption_pct"]],
        t("achievement"): [
            fmt.format_percent(v, 1, lang) for v in league["average_achievement_pct"]
        ],
        t("band"): [band_text(v) for v in league["band"]],
        t("evaluations"): [
            f"{int(a)}/{int(b)}"
            for a, b in zip(
                league["evaluations_submitted"], league["evaluations_expected"], strict=True
            )
        ],
        t("compliance"): [
            fmt.format_percent(v, 0, lang) for v in league["reporting_compliance_pct"]
        ],
        t("recs_open"): league["recommendations_open"],
        t("recs_overdue"): league["recommendations_overdue"],
    }
)
# The band is its mark and name (● Sangat tinggi), as in the activities table: a styled table
# (a CSS rule per cell) cost the browser about a fifth of a second more on every visit.
st.dataframe(table, hide_index=True, width="stretch")

chart_data = league.assign(
    label=league["opd_short_name"].fillna(league["opd_code"]),
    value=league["average_achievement_pct"].fillna(0),
    colour=[band_colour(v) for v in league["band"]],
    band_text=[band_label(v) for v in league["band"]],
    shown=[fmt.format_percent(v, 1, lang) for v in league["average_achievement_pct"]],
)
st.altair_chart(
    charts.horizontal_bars(
        chart_data,
        category="label",
        value="value",
        title=t("league_chart"),
        x_title=t("achievement") + " (%)",
        lang=lang,
        colour="colour",
        suffix="%",
        pattern=",.0f",
        tooltip=[
            alt.Tooltip("opd_name:N", title=t("opd")),
            alt.Tooltip("shown:N", title=t("achievement")),
            alt.Tooltip("band_text:N", title=t("band")),
        ],
    ),
    width="stretch",
)

st.divider()
opd_names = dict(zip(league["opd_code"], league["opd_name"], strict=True))
opd = url_choice(
    t("choose_opd"),
    list(league["opd_code"]),
    "opd",
    format_func=lambda code: f"{code} — {opd_names.get(code, '')}",
)
st.subheader(t("activities_of", opd=opd, quarter=quarter_label(quarter)))
# An OPD can have a thousand activities: they come fifty to a page, filtered and paged in SQL,
# and a search box finds any of them. The browser then gets one page of the table and a short
# choice list, not all thousand rows (about 200 kB) and a thousand-option list.
controls = st.columns([3, 1])
search = url_text(
    t("search_activity"), "cari", container=controls[0], placeholder=t("search_activity_hint")
)
filtered = (quarter, str(opd), search)
if st.session_state.get("_kinerja_filter", filtered) != filtered:
    st.session_state.pop("halaman", None)  # another OPD or search starts on its first page
    if "halaman" in st.query_params:
        del st.query_params["halaman"]
st.session_state["_kinerja_filter"] = filtered
size = queries.ACTIVITY_PAGE_SIZE
found = queries.opd_activities(warehouse, quarter, str(opd), search, limit=size)
total = int(found["total_rows"].iloc[0]) if len(found) else 0
pages = max(1, -(-total // size))
page = 1
if pages > 1:
    page = int(
        url_choice(
            t("table_page"),
            list(range(1, pages + 1)),
            "halaman",
            format_func=lambda number: t("page_of", page=number, pages=pages),
            container=controls[1],
        )
        or 1
    )
elif "halaman" in st.query_params:
    del st.query_params["halaman"]
activities = (
    found
    if page == 1
    else queries.opd_activities(
        warehouse, quarter, str(opd), search, limit=size, offset=(page - 1) * size
    )
)
if len(activities):
    st.dataframe(
        tables.opd_activities(warehouse, quarter, str(opd), lang, search, page),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        t(
            "rows_shown",
            first=fmt.format_number((page - 1) * size + 1, 0, lang),
            last=fmt.format_number((page - 1) * size + len(activities), 0, lang),
            total=fmt.format_number(total, 0, lang),
        )
    )
elif search:
    st.info(t("no_activity_matches", search=fmt.escape_markdown(search)))
else:
    empty_note(activities)
    st.stop()

# "Jejak data" of the OPD's quarter: every evaluation, correction and recommendation behind it.
trail.show(warehouse, lang, f"{opd} · {quarter_label(quarter)}", opd_code=str(opd), quarter=quarter)

# The activity to show: one of this page, or the one already chosen (a shared link, an earlier
# choice) while it belongs to this OPD, even when another page or search is on screen.
activity_names = dict(zip(activities["activity_code"], activities["activity_name"], strict=True))
wanted = str(st.session_state.get("kegiatan") or st.query_params.get("kegiatan") or "")
if wanted and wanted not in activity_names:
    kept = queries.opd_activity(warehouse, quarter, str(opd), wanted)
    if len(kept):
        activity_names = {wanted: str(kept["activity_name"].iloc[0]), **activity_names}
if not activity_names:
    st.stop()
activity = url_choice(
    t("choose_activity"),
    list(activity_names),
    "kegiatan",
    format_func=lambda code: f"{code} — {activity_names.get(code, '')}",
)
chosen = queries.opd_activity(warehouse, quarter, str(opd), str(activity)).iloc[0]
facts = st.columns(4)
facts[0].metric(
    t("budget"),
    fmt.format_rupiah_short(chosen["pagu_rp"], lang),
    help=fmt.format_rupiah(chosen["pagu_rp"], lang),
    border=True,
)
facts[1].metric(t("absorption"), fmt.format_percent(chosen["absorption_pct"], 1, lang), border=True)
facts[2].metric(
    t("achievement"), fmt.format_percent(chosen["achievement_pct"], 1, lang), border=True
)
facts[3].markdown(band_badge(chosen["band"]))
for label, value in ((t("drivers"), chosen["drivers"]), (t("obstacles"), chosen["obstacles"])):
    if isinstance(value, str) and value:
        # Typed by OPD staff: shown as text, never as Markdown or HTML (no remote images).
        st.markdown(f"**{label}:**")
        st.text(value)
trail.show(
    warehouse,
    lang,
    f"{activity} · {quarter_label(quarter)}",
    activity_code=str(activity),
    quarter=quarter,
)

st.subheader(t("history_title", activity=activity))
st.caption(t("history_intro"))
history = queries.activity_history(warehouse, str(activity))
if not empty_note(history):
    details = []
    reasons = []
    for fields in history["details"]:
        reasons.append(str(fields.get("reason", "")))
        shown = {k: v for k, v in fields.items() if k != "reason"}
        details.append(json.dumps(shown, ensure_ascii=False, default=str))
    events = pd.DataFrame(
        {
            t("position"): history["position"],
            t("recorded_at"): [fmt.format_timestamp(v, lang) for v in history["recorded_at"]],
            t("event"): [
                t(f"ev_{name}") if f"ev_{name}" in TEXTS else name for name in history["event_type"]
            ],
            t("who"): history["actor_user"],
            t("role"): [
                f"{role}{' · ' + opd if isinstance(opd, str) and opd else ''}"
                for role, opd in zip(history["actor_role"], history["actor_opd"], strict=True)
            ],
            t("reason"): reasons,
            t("details"): details,
            t("event_type"): history["event_type"],
        }
    )
    st.dataframe(events, hide_index=True, width="stretch")
