"""The sign-in routes over real HTTP, on a real server (`monev dashboard`) with its own data.

Its own server and home because the throttle counts failures per client address, and every
test connects from 127.0.0.1: failures here must not throttle the shared browser tests.
"""

from __future__ import annotations

import http.client
import re
import shutil
import sqlite3
import urllib.parse
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import running_dashboard

from apps import sessions
from apps.streamlit import account
from eventstore.settings import Settings

pytestmark = [pytest.mark.xdist_group("dashboard"), pytest.mark.slow]


@dataclass(frozen=True)
class Server:
    url: str
    store: Path  # the server's sessions file


@pytest.fixture(scope="module")
def server(dashboard_home: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("signin") / "data"
    shutil.copytree(
        dashboard_home.home, home, ignore=shutil.ignore_patterns(".publishing", "*.lock")
    )
    settings = Settings.from_env({}, home=home)
    with running_dashboard(settings) as url:
        yield Server(url, sessions.sessions_path(home, {}))


@pytest.fixture(autouse=True)
def no_earlier_failures(server: Server) -> None:
    """Every test connects from 127.0.0.1: start each with no failures counted for it."""
    if server.store.exists():
        with closing(sqlite3.connect(server.store)) as db, db:
            db.execute("DELETE FROM failures")


class Browser:
    """Just enough of a browser: cookies by name, redirects not followed."""

    def __init__(self, server: Server) -> None:
        self.host, self.port = urllib.parse.urlsplit(server.url).netloc.split(":")
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[http.client.HTTPResponse, str]:
        connection = http.client.HTTPConnection(self.host, int(self.port), timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8")
        for header in response.headers.get_all("set-cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0].strip('"')
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        connection.close()
        return response, text

    def form(self, path: str = "/akun/masuk?next=%2Fsinergi%3Fq%3D2017-Q4") -> dict[str, str]:
        response, page = self.request("GET", path)
        assert response.status == 200
        found = dict(re.findall(r'name="(csrf|next)" value="([^"]*)"', page))
        return {"csrf": found["csrf"], "next": found["next"]}

    def sign_in(self, user: str, password: str) -> tuple[http.client.HTTPResponse, str]:
        fields = {**self.form(), "user": user, "password": password}
        return self.request("POST", "/akun/masuk", fields)


def test_signing_in_sets_an_httponly_samesite_expiring_cookie_and_returns_to_the_page(
    server: Server, dashboard_password: str
) -> None:
    browser = Browser(server)
    response, _ = browser.sign_in("admin", dashboard_password)
    assert response.status == 303
    assert response.headers["Location"] == "/sinergi?q=2017-Q4"
    (cookie,) = [c for c in response.headers.get_all("set-cookie") if "monev_session=" in c]
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "path=/" in attributes
    assert f"max-age={sessions.SESSION_MAX_SECONDS}" in attributes
    assert "secure" not in attributes  # plain HTTP on loopback; see the next test


def test_behind_a_trusted_https_proxy_the_cookie_is_secure_and_the_client_is_the_visitor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from starlette.requests import Request

    scope = {
        "type": "http",
        "scheme": "http",
        "headers": [(b"x-forwarded-proto", b"https"), (b"x-forwarded-for", b"203.0.113.7")],
        "client": ("127.0.0.1", 5000),
        "path": "/",
        "query_string": b"",
    }
    request = Request(scope)
    monkeypatch.setenv(account.TRUST_PROXY_ENV, "0")  # headers anyone could send: ignored
    assert not account.is_https(request)
    assert account.client_address(request) == "127.0.0.1"
    monkeypatch.setenv(account.TRUST_PROXY_ENV, "1")
    assert account.is_https(request)
    assert account.client_address(request) == "203.0.113.7"


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(server: Server) -> None:
    browser = Browser(server)
    wrong_password, page_one = browser.sign_in("pimpinan", "bukan-kata-sandinya")
    unknown_user, page_two = browser.sign_in("tidak-ada", "bukan-kata-sandinya")
    assert wrong_password.status == unknown_user.status == 401
    assert "Nama pengguna atau kata sandi salah." in page_one
    assert "Nama pengguna atau kata sandi salah." in page_two
    assert "monev_session" not in browser.cookies


def test_a_form_without_its_csrf_cookie_is_refused(server: Server, dashboard_password: str) -> None:
    browser = Browser(server)
    fields = browser.form()
    browser.cookies.pop("monev_csrf")
    response, page = browser.request(
        "POST", "/akun/masuk", {**fields, "user": "admin", "password": dashboard_password}
    )
    assert response.status == 400
    assert "kedaluwarsa" in page
    assert "monev_session" not in browser.cookies


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_the_return_address_is_never_another_site(
    server: Server, dashboard_password: str, target: str
) -> None:
    browser = Browser(server)
    fields = browser.form("/akun/masuk?next=" + urllib.parse.quote(target, safe=""))
    assert fields["next"] == "/"
    for next_field in (fields["next"], target):  # a crafted form field is cleaned the same way
        browser = Browser(server)
        form = {**browser.form(), "next": next_field, "user": "admin"}
        response, _ = browser.request(
            "POST", "/akun/masuk", {**form, "password": dashboard_password}
        )
        assert response.status == 303
        assert response.headers["Location"] == "/"


def test_the_sixth_failed_sign_in_within_a_minute_is_throttled_and_says_so(
    server: Server, dashboard_password: str
) -> None:
    browser = Browser(server)
    for _ in range(sessions.MAX_FAILURES):
        response, _ = browser.sign_in("opd-disperta", "salah-salah-salah")
        assert response.status == 401
    response, page = browser.sign_in("opd-disperta", dashboard_password)  # even the right one
    assert response.status == 429
    assert response.headers["Retry-After"] == "60"
    assert "Terlalu banyak percobaan masuk yang gagal" in page
    assert "monev_session" not in browser.cookies


def test_signing_out_over_http_revokes_the_session(server: Server, dashboard_password: str) -> None:
    browser = Browser(server)
    browser.sign_in("admin", dashboard_password)
    token = browser.cookies["monev_session"]
    assert sessions.verify(server.store, token, "web") is not None
    response, _ = browser.request("POST", "/akun/keluar", {})
    assert response.status == 303
    assert "monev_session" not in browser.cookies
    assert sessions.verify(server.store, token, "web") is None
