""" "Jejak data": the events behind a figure, and the stamp that says which history it shows.

A number shown at a rakor must answer "who recorded this, when, and why": the trail lists the
events of ``marts.lineage`` behind an activity's quarter, an OPD's quarter or a
recommendation, with their store positions (the positions ``monev verify`` names). Users'
words (reasons, progress, recommendation text) go into a data table, which shows text as
text: nothing anyone typed is rendered as Markdown.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from apps.streamlit import formatting as fmt
from apps.streamlit import queries
from apps.streamlit.i18n import TEXTS, translate


def _change(row: Any, lang: str) -> str:
    """What the event set, in the reader's words and number formats."""
    kind = row["event_type"]
    if kind in ("EvaluationRecorded", "EvaluationCorrected"):
        return translate(
            "trail_evaluation",
            lang,
            physical=fmt.format_percent(row["physical_pct"], 1, lang),
            financial=fmt.format_rupiah(row["financial_rp"], lang),
            indicator=fmt.format_number(row["indicator_value"], 1, lang),
        )
    if kind == "RecommendationIssued":
        return str(row["recommendation_text"] or "")
    if kind == "RecommendationFollowedUp":
        done = translate("trail_done", lang) if row["is_done"] is True else ""
        return f"{row['follow_up_progress'] or ''}{done}"
    return ""


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def table(events: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The trail as the reader sees it: one row per event, oldest first."""
    return pd.DataFrame(
        {
            translate("position", lang): events["event_position"],
            translate("recorded_at", lang): [
                fmt.format_timestamp(v, lang) for v in events["recorded_at"]
            ],
            translate("event", lang): [
                translate(f"ev_{name}", lang) if f"ev_{name}" in TEXTS else name
                for name in events["event_type"]
            ],
            translate("who", lang): [_text(v) for v in events["actor_user_id"]],
            translate("role", lang): [
                f"{_text(role)}{' · ' + opd if isinstance(opd, str) and opd else ''}"
                for role, opd in zip(events["actor_role"], events["actor_opd_code"], strict=True)
            ],
            translate("trail_change", lang): [_change(row, lang) for _, row in events.iterrows()],
            translate("reason", lang): [_text(v) for v in events["correction_reason"]],
        }
    )


def show(warehouse: queries.Warehouse, lang: str, what: str, **keys: str | None) -> None:
    """An expander "Jejak data: WHAT" listing the events behind that figure."""
    with st.expander(translate("trail_title", lang, what=what), icon=":material/history:"):
        events = queries.lineage(warehouse, **keys)
        if not len(events):
            st.caption(translate("trail_empty", lang))
            return
        st.caption(translate("trail_intro", lang))
        st.dataframe(table(events, lang), hide_index=True, width="stretch")


def stamp_line(stamp: queries.Stamp, lang: str) -> tuple[str, str | None]:
    """The "data as of" caption (short fingerprint) and its hover text (the full one)."""
    line = translate(
        "data_as_of",
        lang,
        as_of=fmt.format_timestamp(stamp.data_as_of, lang),
        published=fmt.format_timestamp(stamp.published_at, lang),
        position=fmt.format_number(stamp.last_position, 0, lang),
    )
    if not stamp.fingerprint:
        return line, None
    line += " · " + translate("fingerprint_short", lang, short=stamp.fingerprint[:12])
    return line, translate("fingerprint_full", lang, fingerprint=stamp.fingerprint)


def as_of_label(cutoff: str | None, lang: str) -> str:
    """``Data per rakor Triwulan II 2017``: how an as-of build is named wherever it is shown."""
    if not cutoff:
        return translate("data_live", lang)
    kind, _, rest = cutoff.partition(":")
    if kind == "rakor":
        return translate("data_per_rakor", lang, quarter=fmt.quarter_label(rest, lang))
    if kind == "position" and rest.isdigit():
        return translate("data_per_position", lang, position=fmt.format_number(int(rest), 0, lang))
    try:
        moment = pd.Timestamp(cutoff).to_pydatetime()
    except ValueError:
        return translate("data_per_time", lang, moment=cutoff)
    return translate("data_per_time", lang, moment=fmt.format_timestamp(moment, lang))
