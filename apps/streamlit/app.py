"""The monev dashboard: `monev dashboard` (or `make run`) serves this entry script.

It decides, on every run, who is looking (``auth``), which pages exist for them, which quarter
and language they chose (both kept in the URL), and which published warehouse it reads; then it
runs the chosen page. Pages are UI only; every query lives in ``queries.py``.

The page scripts live in ``views/``, not ``pages/``: a ``pages/`` folder beside the entry
script switches a served app to Streamlit's older folder-based navigation, which would run a
page requested by URL without this script, and so without sign-in or roles.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from apps import sessions
from apps.streamlit import account, auth, queries, signin, trail
from apps.streamlit import formatting as fmt
from apps.streamlit.i18n import LANGUAGE_NAMES, LANGUAGES, translate
from apps.streamlit.ui import VIEW_KEY, View, oidc_configured, url_choice
from eventstore.settings import Settings

HERE = Path(__file__).resolve().parent

PAGE_ICONS = {
    "ringkasan": ":material/dashboard:",
    "disparitas": ":material/balance:",
    "kinerja_opd": ":material/leaderboard:",
    "rekomendasi": ":material/task_alt:",
    "satrya_emas": ":material/storefront:",
    "sinergi": ":material/hub:",
    "unduh": ":material/download:",
    "input": ":material/edit_note:",
    "masuk": ":material/login:",
}


def _visitor(settings: Settings) -> auth.Visitor:
    if oidc_configured() and st.user.get("is_logged_in"):
        email = str(st.user.get("email") or "")
        if not auth.oidc_email_verified(dict(st.user.to_dict())):
            # Anyone may put any address on an unverified account at some providers.
            st.sidebar.warning(translate("oidc_unverified", _lang(), email=email))
            return auth.ANONYMOUS
        visitor = auth.resolve(settings.users_path, None, "oidc", oidc_email=email)
        if not visitor.signed_in:
            st.sidebar.warning(translate("oidc_unknown", _lang(), email=email))
        return visitor
    grant = sessions.verify(
        sessions.sessions_path(settings.home), _session_token(), "web"
    )  # checked on every run: a revoked or idle session ends at once
    if grant is not None:
        return auth.resolve(settings.users_path, grant.user_id, "password")
    # Set only by server-side code (the AppTest harness); no browser can write session state.
    user_id = st.session_state.get(auth.SESSION_USER)
    if not user_id:
        return auth.ANONYMOUS
    return auth.resolve(
        settings.users_path, user_id, st.session_state.get(auth.SESSION_VIA, "password")
    )


def _session_token() -> str | None:
    """The ``monev_session`` cookie the browser sent when this tab connected."""
    value = st.context.cookies.get(account.SESSION_COOKIE)
    return value if isinstance(value, str) else None  # no cookies at all outside a browser


def _lang() -> str:
    return str(st.session_state.get("lang", st.query_params.get("lang", "id")))


def _sign_out(settings: Settings) -> None:
    """Revokes the session on the server: the cookie left in the browser opens nothing."""
    sessions.revoke(sessions.sessions_path(settings.home), _session_token())
    st.session_state.pop(auth.SESSION_USER, None)
    st.session_state.pop(auth.SESSION_VIA, None)


def _sidebar_account(
    settings: Settings, visitor: auth.Visitor, public_read: bool, lang: str
) -> None:
    box = st.sidebar.container(border=True)
    if visitor.signed_in:
        role = translate(f"role_{visitor.role}", lang)
        opd = f", {visitor.opd_code}" if visitor.opd_code else ""
        # The name comes from the users file: shown as text, never as Markdown.
        box.text(
            translate("signed_in_as", lang, name=visitor.name, role=role, opd=opd).replace("**", "")
        )
        if box.button(translate("sign_out", lang), key="sign_out"):
            _sign_out(settings)
            if visitor.via == "oidc":
                st.logout()
            st.switch_page(HERE / "views" / f"{auth.SIGN_IN_PAGE}.py")
    else:
        box.caption(translate("reading_anonymously" if public_read else "not_signed_in", lang))


def _stand_in(key: str) -> Callable[[], None]:
    def show() -> None:
        signin.stand_in(key)

    show.__name__ = f"stand_in_{key}"
    return show


def _pages(keys: tuple[str, ...], lang: str) -> dict[str, list[st.Page]]:
    """The visitor's pages by section. The sign-in page is always registered, hidden once
    signed in, so signing in or out never leaves the browser on a page that has vanished.

    Every other page the visitor may not open is registered hidden under its own address as a
    stand-in (``signin.stand_in``) that never runs the page's script: a shared link then asks
    for a sign-in instead of "page not found", and signing in opens the linked view itself.
    """

    def page(key: str) -> st.Page:
        return st.Page(
            HERE / "views" / f"{key}.py",
            title=translate(f"page_{key}", lang),
            icon=PAGE_ICONS[key],
            url_path=key,
            default=key == keys[0],
            visibility="visible" if key in keys else "hidden",
        )

    sections: dict[str, list[st.Page]] = {}
    for key in (*keys, auth.SIGN_IN_PAGE) if auth.SIGN_IN_PAGE not in keys else keys:
        if key in auth.READ_PAGES:
            section = translate("section_reports", lang)
        elif key == auth.INPUT_PAGE:
            section = translate("section_work", lang)
        else:
            section = translate("section_account", lang)
        sections.setdefault(section, []).append(page(key))
    stand_ins = [
        st.Page(
            _stand_in(key),
            title=translate(f"page_{key}", lang),
            icon=PAGE_ICONS[key],
            url_path=key,
            visibility="hidden",
        )
        for key in (*auth.READ_PAGES, auth.INPUT_PAGE)
        if key not in keys
    ]
    if stand_ins:
        sections.setdefault(translate("section_account", lang), []).extend(stand_ins)
    return sections


def _data_as_of(warehouse: queries.Warehouse, lang: str) -> None:
    """The stamp on every page: data as of, position, and the short fingerprint (full on
    hover); an as-of build also says plainly that it is a read-only archive, and of when."""
    stamp = queries.stamp(warehouse)
    line, full = trail.stamp_line(stamp, lang)
    st.caption(":material/schedule: " + line, help=full)
    if stamp.as_of_cutoff:
        st.info(
            translate(
                "as_of_read_only",
                lang,
                label=trail.as_of_label(stamp.as_of_cutoff, lang),
                position=fmt.format_number(stamp.last_position, 0, lang),
            ),
            icon=":material/history:",
        )


LIVE = "terkini"


def _source(settings: Settings, lang: str) -> Path:
    """The warehouse to read: the live one, or a published as-of build chosen in the sidebar
    (kept in the URL as ``?data=warehouse-asof-N.duckdb``, so a rakor's view can be shared)."""
    builds = {path.name: path for path in queries.as_of_builds(settings.home)}
    if not builds:
        return settings.warehouse_path
    labels = {LIVE: translate("data_live", lang)}
    for name, path in builds.items():
        found = queries.locate(path)
        try:
            cutoff = queries.stamp(found).as_of_cutoff if found else None
        except queries.WarehouseError:
            continue
        labels[name] = trail.as_of_label(cutoff or f"position:{name[15:-7]}", lang)
    chosen = url_choice(
        translate("data_source", lang),
        list(labels),
        "data",
        format_func=lambda name: labels.get(name, name),
        container=st.sidebar,
    )
    return builds.get(str(chosen), settings.warehouse_path)


def main() -> None:
    st.set_page_config(
        page_title="monev",
        # No page_icon: Streamlit draws a Material or emoji favicon from a font/CDN address on
        # the internet, which an offline deployment must not call; its own bundled icon is used.
        layout="wide",
        initial_sidebar_state="expanded",
    )
    settings = Settings.from_env()
    lang = (
        url_choice(
            translate("language", _lang()),
            LANGUAGES,
            "lang",
            format_func=lambda code: LANGUAGE_NAMES.get(code, code),
            container=st.sidebar,
        )
        or "id"
    )
    visitor = _visitor(settings)
    public_read = auth.public_read_allowed(settings.dashboard_host)
    keys = auth.page_keys(visitor, public_read)
    reads = keys != (auth.SIGN_IN_PAGE,)

    navigation = st.navigation(_pages(keys, lang), position="sidebar")
    # Recording works on the live warehouse's lists; an as-of build is only for reading.
    live = navigation.url_path == auth.INPUT_PAGE
    source = settings.warehouse_path if live else _source(settings, lang)
    warehouse = queries.locate(source) if reads else None
    quarters: tuple[str, ...] = ()
    error: str | None = None
    if warehouse is not None:
        try:
            quarters = queries.quarters(warehouse)
        except queries.WarehouseError as failure:
            error, warehouse = str(failure), None
    quarter = url_choice(
        translate("quarter", lang),
        list(reversed(quarters)),
        "q",
        format_func=lambda code: fmt.quarter_label(code, lang),
        container=st.sidebar,
    )
    st.session_state[VIEW_KEY] = View(settings, lang, visitor, warehouse, quarters, quarter)
    _sidebar_account(settings, visitor, public_read, lang)
    if public_read and not visitor.signed_in:
        # Said to everyone reading without signing in, on every page they can open.
        st.warning(translate("public_read_on", lang), icon=":material/public:")
    if not reads:
        st.info(translate("sign_in_required", lang))
    elif error:
        st.warning(translate("warehouse_unreadable", lang, error=error))
    elif warehouse is None:
        st.info(translate("no_warehouse", lang))
    else:
        _data_as_of(warehouse, lang)
    navigation.run()


main()
