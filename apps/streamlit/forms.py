"""The Input page's forms: one per domain command, each a thin layer over ``commands.run``.

Each form only gathers values and parses Indonesian numbers (``apps.spreadsheets.numbers``);
the command is always run as the signed-in visitor's actor, and the domain decides. Choices
offered come from the warehouse and are narrowed to the visitor's own agency for OPD staff,
which is a courtesy, not the boundary: a value crafted past the form reaches the domain, which
refuses it in plain words and stores nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from apps import messages
from apps.spreadsheets.numbers import parse_number, parse_percent, parse_rupiah
from apps.streamlit import commands, queries
from apps.streamlit import formatting as fmt
from apps.streamlit.i18n import TEXTS, translate
from apps.streamlit.ui import VIEW_KEY, View, t
from domain.activities import INDICATOR_KINDS
from domain.errors import InvalidInputError, MonevError
from domain.kecamatan import all_kecamatan
from domain.quarters import Quarter

INPUT_OPD = "input_opd"
DATE_FORMAT = "DD/MM/YYYY"


@dataclass(frozen=True)
class Context:
    """What every form needs: the view, the agency acted for, and the choices it may offer."""

    view: View
    opd_code: str  # the agency the forms act for (session state, checked by the domain)
    visible_opds: tuple[str, ...]  # agencies whose records the visitor is shown

    @property
    def warehouse(self) -> queries.Warehouse:
        assert self.view.warehouse is not None
        return self.view.warehouse

    @property
    def lang(self) -> str:
        return self.view.lang

    def quarter_options(self) -> list[str]:
        """Quarters on record plus the one after the latest, the next to be reported."""
        known = list(self.view.quarters)
        if known:
            known.append(Quarter.parse(known[-1]).next().code)
        return list(reversed(known))

    @property
    def fiscal_year(self) -> int:
        """The year of the quarter chosen in the sidebar: forms offer that year's activities."""
        quarter = self.view.quarter or (self.view.quarters[-1] if self.view.quarters else None)
        return Quarter.parse(quarter).year if quarter else date.today().year

    def quarter_label(self, code: str) -> str:
        return fmt.quarter_label(code, self.lang)


def show(outcome: commands.Outcome) -> None:
    """The stored events, each field under its label, or the refusal as the domain words it."""
    lang = st.session_state[VIEW_KEY].lang if VIEW_KEY in st.session_state else "id"
    if outcome.ok:
        lines = "\n".join(
            f"- **{_what(event.event_type)}** (#{event.position} · `{event.event_type}`)"
            + (f"  \n  {details}" if (details := event_details(event.fields, lang)) else "")
            for event in outcome.events
        )
        st.success(t("stored") + "\n\n" + lines)
    else:
        reason = outcome.refusal if outcome.error is None else messages.render(outcome.error, lang)
        reason = fmt.escape_markdown(reason)  # may quote what the user typed
        st.error(t("refused", kind=t(f"refusal_{outcome.kind}"), reason=reason))


_QUARTER_CODE = re.compile(r"\d{4}-Q[1-4]")
_DECIMAL = re.compile(r"-?\d+\.\d+")


def event_details(fields: dict[str, str], lang: str) -> str:
    """``Kode kegiatan: A-DISKOP-01 · Realisasi fisik: 77,0%``: labels and values for readers."""
    shown = []
    for name, value in fields.items():
        if value in ("", "None"):
            continue
        key = f"field_{name}"
        label = translate(key, lang) if key in TEXTS else name.replace("_", " ")
        shown.append(f"{label}: {_value(name, value, lang).translate(fmt.MARKDOWN_ESCAPES)}")
    return " · ".join(shown)


def _value(name: str, value: str, lang: str) -> str:
    """Money, percentages and quarters in the reader's format; anything else as stored."""
    try:
        if name.endswith("_rp"):
            return fmt.format_rupiah(float(value), lang)
        if name.endswith("_pct"):
            return fmt.format_percent(float(value), 1, lang)
        if name.endswith("quarter") and _QUARTER_CODE.fullmatch(value):
            return fmt.quarter_label(value, lang)
        if _DECIMAL.fullmatch(value):  # 390.0 → 390,0; codes and whole years stay as stored
            return fmt.format_number(float(value), len(value.split(".")[1]), lang)
    except ValueError:
        pass
    if value in ("True", "False"):
        return translate("yes" if value == "True" else "no", lang)
    return value


def _what(event_type: str) -> str:
    """An event type in the reader's words where the dashboard has them (else its name)."""
    key = f"ev_{event_type}"
    return t(key) if key in TEXTS else event_type


def _run(context: Context, command: str, build: Callable[[], dict[str, Any]]) -> None:
    """Builds the values (parse errors are refusals too) and runs the command."""
    try:
        values = build()
    except MonevError as error:
        show(commands.refused(error))
        return
    app = commands.application(context.view.settings)
    show(commands.run(app, context.view.visitor.actor, command, **values))


def _activities(context: Context, *, include_merged: bool = False) -> pd.DataFrame:
    frame = queries.activities_of(context.warehouse, context.visible_opds, context.fiscal_year)
    if not include_merged:
        frame = frame[frame["merged_into_code"].isna()]
    return frame


def _activity_select(context: Context, key: str, *, include_merged: bool = False) -> str | None:
    frame = _activities(context, include_merged=include_merged)
    names = dict(zip(frame["activity_code"], frame["activity_name"], strict=True))
    if not names:
        st.info(t("no_choices"))
    return st.selectbox(
        t("activity"),
        list(names),
        key=key,
        format_func=lambda code: f"{code} — {names.get(code, '')}",
    )


def _quarter_select(context: Context, key: str, label: str | None = None) -> str | None:
    options = context.quarter_options()
    current = context.view.quarter
    index = options.index(current) if current in options else 0
    return st.selectbox(
        label or t("quarter"), options, index=index, key=key, format_func=context.quarter_label
    )


def _realisation_fields(prefix: str) -> tuple[str, str, str, str, str]:
    """Numbers are typed the Indonesian way (``60,5``; ``99.000.000``) and parsed on submit."""
    physical = st.text_input(t("physical_pct"), placeholder="60,5", key=f"{prefix}_physical")
    financial = st.text_input(t("financial_rp"), placeholder="99.000.000", key=f"{prefix}_rp")
    indicator = st.text_input(t("indicator_value"), placeholder="210", key=f"{prefix}_indicator")
    drivers = st.text_area(t("drivers"), key=f"{prefix}_drivers", height=68)
    obstacles = st.text_area(t("obstacles"), key=f"{prefix}_obstacles", height=68)
    return physical, financial, indicator, drivers, obstacles


# -- forms for admin and OPD staff --------------------------------------------------------------


def record_evaluation(context: Context) -> None:
    st.caption(t("quarter_closed_note"))
    with st.form("record_evaluation"):
        activity = _activity_select(context, "ev_activity")
        quarter = _quarter_select(context, "ev_quarter")
        physical, financial, indicator, drivers, obstacles = _realisation_fields("ev")
        submitted = st.form_submit_button(t("submit"), type="primary")
    if submitted:
        _run(
            context,
            "record_evaluation",
            lambda: {
                "activity_code": activity or "",
                "quarter": quarter or "",
                "physical_pct": parse_percent(physical, "Physical realisation"),
                "financial_rp": parse_rupiah(financial, "Financial realisation"),
                "indicator_value": parse_number(indicator, "Indicator realisation"),
                "drivers": drivers,
                "obstacles": obstacles,
            },
        )


def correct_evaluation(context: Context) -> None:
    with st.form("correct_evaluation"):
        activity = _activity_select(context, "co_activity", include_merged=True)
        quarter = _quarter_select(context, "co_quarter")
        physical, financial, indicator, drivers, obstacles = _realisation_fields("co")
        reason = st.text_area(t("correction_reason"), key="co_reason", height=68)
        submitted = st.form_submit_button(t("submit"), type="primary")
    if submitted:
        _run(
            context,
            "correct_evaluation",
            lambda: {
                "activity_code": activity or "",
                "quarter": quarter or "",
                "physical_pct": parse_percent(physical, "Physical realisation"),
                "financial_rp": parse_rupiah(financial, "Financial realisation"),
                "indicator_value": parse_number(indicator, "Indicator realisation"),
                "reason": reason,
                "drivers": drivers,
                "obstacles": obstacles,
            },
        )


def follow_up(context: Context) -> None:
    frame = queries.open_recommendations_of(context.warehouse, context.visible_opds)
    texts = dict(zip(frame["recommendation_code"], frame["recommendation_text"], strict=True))
    if not texts:
        st.info(t("no_choices"))
    with st.form("follow_up"):
        code = st.selectbox(
            t("recommendation"),
            list(texts),
            key="fu_code",
            format_func=lambda c: f"{c} — {texts.get(c, '')}",
        )
        quarter = _quarter_select(context, "fu_quarter")
        progress = st.text_area(t("progress"), key="fu_progress", height=68)
        done = st.checkbox(t("is_done"), key="fu_done")
        submitted = st.form_submit_button(t("submit"), type="primary")
    if submitted:
        _run(
            context,
            "follow_up_recommendation",
            lambda: {
                "code": code or "",
                "quarter": quarter or "",
                "progress": progress,
                "is_done": done,
            },
        )


def _targets(text: str) -> list[float]:
    parts = [p for p in text.replace("|", ";").split(";") if p.strip()]
    if len(parts) != 4:
        msg = "Write the four quarterly targets separated by ';', like 100;200;300;400."
        raise InvalidInputError(msg)
    return [parse_number(p, "Quarterly target") for p in parts]


def register_activity(context: Context) -> None:
    programs = queries.program_codes(context.warehouse, (context.opd_code,))
    kecamatan = ["", *(k.name for k in all_kecamatan())]
    with st.form("register_activity"):
        st.markdown(f"{t('acting_opd')}: **{context.opd_code}**")
        code = st.text_input(t("activity_code"), key="ra_code", placeholder="A-DISKOP-09")
        program = st.selectbox(
            t("program_code"), list(programs), key="ra_program", accept_new_options=True
        )
        name = st.text_input(t("name"), key="ra_name")
        pagu = st.text_input(t("pagu_rp"), key="ra_pagu", placeholder="450.000.000")
        indicator = st.text_input(t("indicator_name"), key="ra_indicator")
        unit = st.text_input(t("indicator_unit"), key="ra_unit")
        kind = st.selectbox(
            t("indicator_kind"),
            INDICATOR_KINDS,
            key="ra_kind",
            format_func=lambda k: t(f"kind_{k}"),
        )
        annual = st.text_input(t("annual_target"), key="ra_annual", placeholder="400")
        quarterly = st.text_input(
            t("quarterly_targets"), key="ra_targets", placeholder="100;200;300;400"
        )
        place = st.selectbox(
            t("kecamatan"),
            kecamatan,
            key="ra_kecamatan",
            format_func=lambda name: name or t("regency_wide"),  # said, not left blank
        )
        submitted = st.form_submit_button(t("submit"), type="primary")
    if submitted:
        _run(
            context,
            "register_activity",
            lambda: {
                "code": code,
                "program_code": program or "",
                "opd_code": context.opd_code,
                "name": name,
                "pagu_rp": parse_rupiah(pagu, "Pagu (budget)"),
                "indicator_name": indicator,
                "indicator_unit": unit,
                "indicator_kind": kind,
                "annual_target": parse_number(annual, "Annual target"),
                "quarterly_targets": _targets(quarterly),
                "kecamatan": place or None,
            },
        )


# -- admin only ---------------------------------------------------------------------------------


def _opd_names(context: Context) -> dict[str, str]:
    frame = queries.opds(context.warehouse)
    return dict(zip(frame["opd_code"], frame["opd_name"], strict=True))


def hold_rakor(context: Context) -> None:
    names = _opd_names(context)
    with st.form("hold_rakor"):
        quarter = _quarter_select(context, "rk_quarter")
        held_on = st.date_input(t("held_on"), key="rk_date", format=DATE_FORMAT)
        attending = st.multiselect(t("attending"), list(names), key="rk_attending")
        notes = st.text_area(t("notes"), key="rk_notes", height=68)
        submitted = st.form_submit_button(t("submit"), type="primary")
    if submitted:
        _run(
            context,
            "hold_rakor",
            lambda: {
                "quarter": quarter or "",
                "held_on": held_on,
                "attending_opd_codes": attending,
                "notes": notes,
            },
        )


def close_quarter(context: Context) -> None:
    with st.form("close_quarter"):
        quarter = _quarter_select(context, "cq_quarter")
        submitted = st.form_submit_button(t("form_close_quarter"), type="primary")
    if submitted:
        _run(context, "close_quarter", lambda: {"quarter": quarter or ""})


def issue_recommendation(context: Context) -> None:
    names = _opd_names(context)
    activities = queries.activities_of(context.warehouse, tuple(names), context.fiscal_year)
    with st.form("issue_recommendation"):
        code = st.text_input(t("rec_code"), key="ir_code", placeholder="REK-2018-1-01")
        quarter = _quarter_select(context, "ir_quarter")
        opd = st.selectbox(
            t("opd"), list(names), key="ir_opd", format_func=lambda c: f"{c} — {names[c]}"
        )
        text = st.text_area(t("rec_text"), key="ir_text", height=68)
        due = _quarter_select(context, "ir_due", t("rec_due"))
        activity = st.selectbox(
            t("about_activity"), ["", *activities["activity_code"]], key="ir_activity"
        )
        submitted = st.form_submit_button(t("submit"), type="primary")
    if submitted:
        _run(
            context,
            "issue_recommendation",
            lambda: {
                "code": code,
                "quarter": quarter or "",
                "opd_code": opd or "",
                "text": text,
                "due_quarter": due or "",
                "activity_code": activity or None,
            },
        )


def _mentor_select(context: Context, key: str) -> str | None:
    frame = queries.mentor_codes(context.warehouse)
    names = dict(zip(frame["mentor_code"], frame["mentor_name"], strict=True))
    return st.selectbox(
        t("mentor"), list(names), key=key, format_func=lambda c: f"{c} — {names.get(c, '')}"
    )


def assign_mentor(context: Context) -> None:
    with st.form("assign_mentor"):
        mentor = _mentor_select(context, "am_mentor")
        place = st.selectbox(t("kecamatan"), [k.name for k in all_kecamatan()], key="am_kecamatan")
        from_date = st.date_input(t("from_date"), key="am_date", format=DATE_FORMAT)
        submitted = st.form_submit_button(t("submit"), type="primary")
    if submitted:
        _run(
            context,
            "assign_mentor",
            lambda: {"mentor_code": mentor or "", "kecamatan": place, "from_date": from_date},
        )


def evaluate_mentor(context: Context) -> None:
    with st.form("evaluate_mentor"):
        mentor = _mentor_select(context, "em_mentor")
        quarter = _quarter_select(context, "em_quarter")
        score = st.text_input(t("score"), placeholder="85", key="em_score")
        reports = st.number_input(t("reports_submitted"), min_value=0, step=1, key="em_reports")
        assisted = st.number_input(t("umkm_assisted"), min_value=0, step=1, key="em_assisted")
        target = st.number_input(t("umkm_target"), min_value=0, step=1, key="em_target")
        permits = st.number_input(t("permits"), min_value=0, step=1, key="em_permits")
        notes = st.text_area(t("notes"), key="em_notes", height=68)
        submitted = st.form_submit_button(t("submit"), type="primary")
    if submitted:
        _run(
            context,
            "evaluate_mentor_commitment",
            lambda: {
                "mentor_code": mentor or "",
                "quarter": quarter or "",
                "score": parse_number(score, "Commitment score"),
                "reports_submitted": int(reports),
                "umkm_assisted": int(assisted),
                "umkm_target": int(target),
                "permits_facilitated": int(permits),
                "notes": notes,
            },
        )


FORMS: dict[str, Callable[[Context], None]] = {
    "record_evaluation": record_evaluation,
    "correct_evaluation": correct_evaluation,
    "follow_up": follow_up,
    "register_activity": register_activity,
    "hold_rakor": hold_rakor,
    "close_quarter": close_quarter,
    "issue_recommendation": issue_recommendation,
    "assign_mentor": assign_mentor,
    "evaluate_mentor": evaluate_mentor,
}
OPD_FORMS = ("record_evaluation", "correct_evaluation", "follow_up", "register_activity")
