"""Input: forms for the domain commands, for admin and OPD staff only.

OPD staff see and pick only their own agency's records; the agency the forms act for is kept in
the session (set to their own on first visit), and the domain refuses anything for another.
"""

from __future__ import annotations

import streamlit as st

from apps.streamlit import forms, queries
from apps.streamlit.ui import require_data, t, url_choice

current = require_data()
visitor = current.visitor
if not visitor.can_record or visitor.actor is None:
    st.stop()  # the page is not even offered to viewers; a stale link shows nothing
warehouse = current.warehouse
assert warehouse is not None

st.title(t("page_input"))
st.markdown(t("input_intro", user=visitor.user_id))

if visitor.role == "admin":
    opds = queries.opds(warehouse)
    names = dict(zip(opds["opd_code"], opds["opd_name"], strict=True))
    acting = url_choice(
        t("acting_opd"),
        list(names),
        forms.INPUT_OPD,
        format_func=lambda code: f"{code} — {names.get(code, '')}",
    )
    visible: tuple[str, ...] = (str(acting),) if acting else ()
else:
    own = str(visitor.opd_code)
    st.session_state.setdefault(forms.INPUT_OPD, own)
    acting = st.session_state[forms.INPUT_OPD]
    visible = (own,)
    st.info(t("input_opd_fixed", opd=own))

available = forms.FORMS if visitor.role == "admin" else forms.OPD_FORMS
choice = url_choice(
    t("form"),
    list(available),
    "form",
    format_func=lambda key: t(f"form_{key}"),
)
context = forms.Context(view=current, opd_code=str(acting or ""), visible_opds=visible)
forms.FORMS[str(choice)](context)
