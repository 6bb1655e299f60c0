"""Masuk (sign in): a user name and password from the users file, or the organisation's SSO."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from apps.streamlit import signin
from apps.streamlit.ui import view

if view().visitor.signed_in:
    # Just signed in (or an old link): go to the first page this visitor has.
    st.switch_page(Path(__file__).with_name("ringkasan.py"))
signin.form()
