"""The sign-in form, shown on *Masuk* and in place of any page the visitor may not open yet.

A shared link (``/kinerja_opd?q=2017-Q2&opd=DISPERTA``) opened by someone not signed in, or
opened again after a reload (a Streamlit session does not survive one), lands on a stand-in
for the page under the same address: this form. Signing in reruns the same address, where the
real page now exists, so the link's page, quarter and filters are kept. The stand-in never
runs the page's own script, so nothing is read before signing in.
"""

from __future__ import annotations

import time

import streamlit as st

from apps.streamlit import auth
from apps.streamlit.ui import oidc_configured, t, view
from apps.users import load_users


def form() -> None:
    """User name and password from the users file, or the organisation's SSO."""
    current = view()
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


def stand_in(page_key: str) -> None:
    """What a page's address shows to a visitor who may not open that page (yet)."""
    current = view()
    title = t(f"page_{page_key}")
    if current.visitor.signed_in:
        # Signed in, but the role has no such page (a viewer following a link to Input).
        st.title(title)
        st.warning(t("page_not_for_role", page=title))
        return
    st.info(t("sign_in_for_page", page=title))
    form()
