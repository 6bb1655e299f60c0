"""Sinergi: joint activities, the activities merged into them, suggested merges (an admin can
merge one here, through the domain's merge command), problems and their activities."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from apps.streamlit import charts, commands, queries
from apps.streamlit import formatting as fmt
from apps.streamlit.forms import show
from apps.streamlit.ui import View, band_text, empty_note, quarter_label, require_data, t
from domain.actors import ADMIN


def candidate_label(row: pd.Series) -> str:
    """``PRB-05 · A-DISNAK-02, A-DISPERTA-03``: what the group shares, then its activities."""
    shared = row["problem_code"] or f"{row['problem_category']} @ {row['kecamatan_code']}"
    return f"{shared} · {row['activity_codes']}"


def merge_form(current: View, suggested: pd.DataFrame) -> None:
    """An admin merges one suggestion: lead OPD and name are confirmed before the command runs;
    the domain checks the actor and every rule again and stores one ActivitiesMerged event."""
    st.subheader(t("merge_form_title"))
    by_key = {row["candidate_key"]: row for _, row in suggested.iterrows()}
    key = st.selectbox(
        t("merge_candidate"),
        list(by_key),
        key="mc_candidate",
        format_func=lambda k: candidate_label(by_key[k]),
    )
    if key is None:
        return
    chosen = by_key[key]
    shared = chosen["problem_code"] or str(chosen["problem_category"]).upper()
    with st.form("merge_candidate"):
        lead = st.selectbox(t("lead_opd"), str(chosen["opd_codes"]).split(", "), key="mc_lead")
        code = st.text_input(
            t("joint_code"), value=f"J-{shared}-{chosen['fiscal_year']}", key="mc_code"
        )
        name = st.text_input(t("joint_name"), key="mc_name")
        confirmed = st.checkbox(t("merge_confirm"), key="mc_confirm")
        submitted = st.form_submit_button(t("merge_submit"), type="primary")
    if not submitted:
        return
    if not confirmed:
        st.warning(t("merge_unconfirmed"))
        return
    app = commands.application(current.settings)
    outcome = commands.run(
        app,
        current.visitor.actor,
        "merge_activities",
        joint_code=code,
        name=name,
        lead_opd_code=lead or "",
        activity_codes=str(chosen["activity_codes"]).split(", "),
    )
    show(outcome)
    if outcome.ok:
        st.info(t("merge_after_refresh"))


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
    # Fits the page without scrolling sideways: the lead agency heads the participants, the band
    # shares the achievement's column, and each joint activity's merged originals are listed in
    # the table below (and named in the chart) rather than repeated here.
    def participants(lead: str, codes: str) -> str:
        others = [code for code in str(codes or "").split(", ") if code and code != lead]
        return ", ".join([t("lead_mark", opd=lead), *others])

    columns = {
        t("joint_activity"): (joint["joint_activity_code"], 105),
        t("name"): (joint["joint_activity_name"], 170),
        t("participants"): (
            [
                participants(lead, codes)
                for lead, codes in zip(
                    joint["lead_opd_code"], joint["participating_opd_codes"], strict=True
                )
            ],
            180,
        ),
        t("combined_budget"): ([fmt.format_rupiah(v, lang) for v in joint["pagu_rp"]], 120),
        t("merged_at"): ([quarter_label(q) for q in joint["merged_from_quarter"]], 110),
        t("absorption"): ([fmt.format_percent(v, 1, lang) for v in joint["absorption_pct"]], 70),
        t("achievement_band"): (
            [
                f"{fmt.format_percent(v, 1, lang)} · {band_text(b)}"
                for v, b in zip(joint["achievement_pct"], joint["band"], strict=True)
            ],
            165,
        ),
    }
    st.dataframe(
        pd.DataFrame({name: values for name, (values, _) in columns.items()}),
        hide_index=True,
        width="stretch",
        column_config={
            name: st.column_config.TextColumn(width=width) for name, (_, width) in columns.items()
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

st.subheader(t("candidates_title"))
st.caption(t("candidates_intro"))
candidates = queries.merge_candidates(warehouse)
suggested = candidates[~candidates["is_already_merged"].astype(bool)]


def candidate_table(found: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("candidate_reason"): [t(f"reason_{reason}") for reason in found["reason"]],
            t("fiscal_year"): found["fiscal_year"].astype(str),
            t("problem"): found["problem_codes"],
            t("kecamatan"): found["kecamatan_code"].fillna("–"),
            t("activities"): found["activity_codes"],
            t("participants"): found["opd_codes"],
            t("combined_budget"): [fmt.format_rupiah(v, lang) for v in found["combined_pagu_rp"]],
        }
    )


if len(suggested):
    st.dataframe(candidate_table(suggested), hide_index=True, width="stretch")
else:
    st.info(t("no_candidates"))
already = candidates[candidates["is_already_merged"].astype(bool)]
if len(already):
    with st.expander(t("merged_candidates_title")):
        table = candidate_table(already)
        table[t("joint_activity")] = already["merged_into_code"].to_list()
        st.dataframe(table, hide_index=True, width="stretch")
if current.visitor.role == ADMIN and len(suggested):
    merge_form(current, suggested)

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
