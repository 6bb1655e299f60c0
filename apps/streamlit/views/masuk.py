"""Masuk (sign in): a user name and password from the users file, or the organisation's SSO."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from apps.streamlit import auth
from apps.streamlit.ui import oidc_configured, t, view
from apps.users import load_users

current = view()
if current.visitor.signed_in:
    # Just signed in (or an old link): go to the first page this visitor has.
    st.switch_page(Path(__file__).with_name("ringkasan.py"))
st.title(t("page_masuk"))
st.write(t("sign_in_intro"))

users = load_users(current.settings.users_path)
if not any(user.password_hash for user in users.values()):
    st.info(t("no_users_yet"))

with st.form("sign_in", enter_to_submit=True, clear_on_submit=True):
    user_id = st.text_input(t("user_name"), key="sign_in_user", autocomplete="username")
    password = st.text_input(
        t("password"), type="password", key="sign_in_password", autocomplete="current-password"
    )
    submitted = st.form_submit_button(t("sign_in"), type="primary")

if submitted:
    visitor = auth.check_password(current.settings.users_path, user_id, password)
    if visitor is None:
        time.sleep(0.5)  # a little cost per wrong guess, on top of scrypt's
        st.error(t("sign_in_failed"))
    else:
        st.session_state[auth.SESSION_USER] = visitor.user_id
        st.session_state[auth.SESSION_VIA] = "password"
        st.rerun()

if oidc_configured():
    st.divider()
    st.button(t("sign_in_sso"), on_click=st.login, icon=":material/key:")
