"""Sign-in and sign-out over plain HTTP beside the Streamlit app (`/akun/masuk`, `/akun/keluar`).

Why not a Streamlit form: a Streamlit script talks to the browser over a WebSocket and cannot
set a cookie, so a sign-in made there lives only as long as that connection; a reload or a new
tab signed people out, which pushed operators towards leaving reports readable without sign-in.
These two routes are served by the same server (``st.App`` routes, see ``server.py``) and give
the browser what a web application gives:

- a session cookie ``monev_session``: 32 random bytes, ``HttpOnly`` (no script can read it),
  ``SameSite=Lax`` (not sent on cross-site requests, WebSockets included), ``Secure`` whenever
  the request came over HTTPS (directly, or ``X-Forwarded-Proto: https`` from a proxy trusted
  with ``MONEV_DASHBOARD_TRUST_PROXY=1``), ``Path=/``; the server keeps only its SHA-256 with
  an absolute expiry and an inactivity limit (``apps.sessions``), so sign-out revokes it;
- a CSRF token (a second cookie compared with a hidden field), so another site cannot sign a
  visitor in as someone else;
- the throttle of ``apps.authn``, per user name and per client address, said on the page;
- a ``next`` address that can only be a path on this server, so the form is no open redirect.

The Streamlit app reads the cookie from ``st.context.cookies`` on every run and checks it
against the session store (``app._visitor``).
"""

from __future__ import annotations

import html
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from apps import sessions
from apps.authn import ThrottledError, authenticate
from apps.streamlit.i18n import translate
from eventstore.settings import Settings

SESSION_COOKIE = "monev_session"
CSRF_COOKIE = "monev_csrf"
SIGN_IN_PATH = "/akun/masuk"
SIGN_OUT_PATH = "/akun/keluar"
TRUST_PROXY_ENV = "MONEV_DASHBOARD_TRUST_PROXY"
MAX_FORM_BYTES = 8192


def routes() -> list[BaseRoute]:
    return [
        Route(SIGN_IN_PATH, sign_in_page, methods=["GET"]),
        Route(SIGN_IN_PATH, sign_in, methods=["POST"]),
        Route(SIGN_OUT_PATH, sign_out, methods=["POST"]),
    ]


def trust_proxy() -> bool:
    return os.environ.get(TRUST_PROXY_ENV, "0").strip().lower() in {"1", "true", "yes", "on"}


def client_address(request: Request) -> str:
    """The client for the throttle: the proxy's ``X-Forwarded-For`` only when it is trusted."""
    if trust_proxy():
        forwarded = request.headers.get("x-forwarded-for", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]  # the address the trusted proxy itself saw
    return request.client.host if request.client else "unknown"


def is_https(request: Request) -> bool:
    if request.url.scheme == "https":
        return True
    return trust_proxy() and request.headers.get("x-forwarded-proto", "").lower() == "https"


def safe_next(value: str | None) -> str:
    """A path on this server to return to, never another site (``//evil``, ``https://…``)."""
    if not value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return "/"
    if "\\" in value or any(ord(char) < 32 for char in value):
        return "/"
    return value


def _store() -> tuple[Settings, Path]:
    settings = Settings.from_env()
    return settings, sessions.sessions_path(settings.home)


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "id")
    return lang if lang in ("id", "en") else "id"


def _page(lang: str, next_path: str, csrf: str, message: str = "", status: int = 200) -> Response:
    def t(key: str) -> str:
        return html.escape(translate(key, lang))

    note = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
    action = f"{SIGN_IN_PATH}?lang={lang}"
    body = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>monev · {t("page_masuk")}</title>
<style>
body {{ font-family: sans-serif; max-width: 26rem; margin: 4rem auto; padding: 0 1rem; }}
label {{ display: block; margin-top: 1rem; }} input {{ width: 100%; padding: .5rem; }}
button {{ margin-top: 1.5rem; padding: .5rem 1.5rem; }} .error {{ color: #b00020; }}
</style></head>
<body><h1>{t("page_masuk")}</h1>
<p>{t("sign_in_throttle_note")}</p>
{note}
<form method="post" action="{html.escape(action)}">
<input type="hidden" name="csrf" value="{html.escape(csrf)}">
<input type="hidden" name="next" value="{html.escape(next_path)}">
<label for="user">{t("user_name")}</label>
<input id="user" name="user" autocomplete="username" required autofocus>
<label for="password">{t("password")}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{t("sign_in")}</button>
</form></body></html>"""
    response = HTMLResponse(body, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
    )
    return response


def _with_csrf(request: Request, response: Response, csrf: str) -> Response:
    response.set_cookie(
        CSRF_COOKIE,
        csrf,
        max_age=3600,
        path=SIGN_IN_PATH,
        httponly=True,
        samesite="strict",
        secure=is_https(request),
    )
    return response


async def sign_in_page(request: Request) -> Response:
    csrf = secrets.token_urlsafe(24)
    next_path = safe_next(request.query_params.get("next"))
    return _with_csrf(request, _page(_lang(request), next_path, csrf), csrf)


async def sign_in(request: Request) -> Response:
    lang = _lang(request)
    body = await request.body()
    form = parse_qs(body[:MAX_FORM_BYTES].decode("utf-8", "replace"), keep_blank_values=True)

    def field(name: str) -> str:
        return form.get(name, [""])[0]

    next_path = safe_next(field("next"))
    csrf = request.cookies.get(CSRF_COOKIE, "")
    fresh = secrets.token_urlsafe(24)
    if not csrf or not secrets.compare_digest(csrf, field("csrf")):
        page = _page(lang, next_path, fresh, translate("sign_in_expired_form", lang), 400)
        return _with_csrf(request, page, fresh)
    settings, store = _store()
    try:
        user = authenticate(
            settings.users_path, store, field("user"), field("password"), client_address(request)
        )
    except ThrottledError:
        page = _page(lang, next_path, fresh, translate("sign_in_throttled", lang), 429)
        page.headers["Retry-After"] = str(int(sessions.WINDOW_SECONDS))
        return _with_csrf(request, page, fresh)
    if user is None:
        page = _page(lang, next_path, fresh, translate("sign_in_failed", lang), 401)
        return _with_csrf(request, page, fresh)
    token = sessions.create(
        store,
        user.user_id,
        "web",
        lifetime=sessions.SESSION_MAX_SECONDS,
        idle=sessions.SESSION_IDLE_SECONDS,
    )
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=sessions.SESSION_MAX_SECONDS,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )
    response.delete_cookie(CSRF_COOKIE, path=SIGN_IN_PATH)
    response.headers["Cache-Control"] = "no-store"
    return response


async def sign_out(request: Request) -> Response:
    """Revokes the session on the server and clears the cookie (the dashboard also revokes)."""
    _, store = _store()
    sessions.revoke(store, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse(f"{SIGN_IN_PATH}?lang={_lang(request)}", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def sign_in_link(next_path: str, lang: str) -> str:
    """The sign-in page's address that returns to ``next_path`` afterwards."""
    return f"{SIGN_IN_PATH}?lang={lang}&next={quote(safe_next(next_path), safe='')}"
