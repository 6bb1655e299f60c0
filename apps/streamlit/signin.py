"""The sign-in form, shown on *Masuk* and in place of any page the visitor may not open yet.

A shared link (``/kinerja_opd?q=2017-Q2&opd=DISPERTA``) opened by someone not signed in lands on
a stand-in for the page under the same address: a link to the sign-in page, which returns to
that address once the session cookie is set, so the link's page, quarter and filters are kept.
The stand-in never runs the page's own script, so nothing is read before signing in.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

import streamlit as st

from apps.streamlit import account
from apps.streamlit.ui import oidc_configured, t, view
from apps.users import load_users

SIGN_IN_CLASS = "monev-sign-in"
_BUTTON_STYLE = (
    "display:inline-block;padding:0.5rem 1.25rem;border-radius:0.5rem;background:#ff4b4b;"
    "color:#fff;text-decoration:none;font-weight:600"
)


def form(page_key: str | None = None) -> None:
    """A link to the sign-in page (``account.py``), which returns to this page's address.

    The password is typed into a plain HTML form served beside the app, because only an HTTP
    response can set the session cookie that survives a reload or a new tab.
    """
    current = view()
    st.title(t("page_masuk"))
    st.write(t("sign_in_intro"))
    users = load_users(current.settings.users_path)
    if not any(user.password_hash for user in users.values()):
        st.info(t("no_users_yet"))
    # A plain link in this tab (st.link_button always opens a new one): the sign-in page sets
    # the cookie and comes back here. Only escaped constants and an encoded path go into it.
    url = html.escape(account.sign_in_link(_here(page_key), current.lang))
    st.html(
        f'<a class="{SIGN_IN_CLASS}" href="{url}" style="{_BUTTON_STYLE}">'
        f"{html.escape(t('sign_in_open'))}</a>"
    )
    st.caption(t("sign_in_throttle_note") + " " + t("session_note"))
    if oidc_configured():
        st.divider()
        st.button(t("sign_in_sso"), on_click=st.login, icon=":material/key:")


def _here(page_key: str | None) -> str:
    """This page's path and query (quarter, filters), to come back to after signing in."""
    path = f"/{page_key}" if page_key else "/"
    query = urlencode(st.query_params.to_dict())
    return f"{path}?{query}" if query else path


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
    form(page_key)
