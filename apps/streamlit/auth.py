"""Who is looking at the dashboard, and which pages exist for them.

Two ways in, both ending in an entry of the users file (``apps/users.py``), which alone gives a
role and an agency:

- a user name and password checked against the file's scrypt hash (no password is shipped;
  `monev user add NAME --role admin` creates the first admin), typed into the HTML sign-in page
  (``account.py``), which sets the session cookie the app checks on every run;
- OIDC through ``st.login`` when Streamlit's ``[auth]`` secrets are configured: the identity
  provider's verified e-mail address must be a user name in the users file (add it with
  ``monev user add someone@pasuruankab.go.id --role viewer --no-password``); an unknown address
  gets no role.

Reading without signing in ("public read") is allowed only when ``MONEV_DASHBOARD_PUBLIC_READ=1``
says so explicitly (``make run`` does, for the local demo, and the dashboard then says so on every
page); `monev doctor` flags it. Recording always needs a signed-in admin or opd user, and the
domain checks every command again.

Nothing in this module touches Streamlit's session: callers pass what they read, so the rules
are plain functions the tests can call.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from apps.authn import authenticate
from apps.users import User, load_users
from domain.actors import ADMIN, OPD, Actor

PUBLIC_READ_ENV = "MONEV_DASHBOARD_PUBLIC_READ"
# Session-state keys naming a user for this connection. Only server-side code can set session
# state (the AppTest harness does); browsers sign in through the cookie of ``account.py``.
SESSION_USER = "_monev_user"
SESSION_VIA = "_monev_via"

READ_PAGES = (
    "ringkasan",
    "disparitas",
    "kinerja_opd",
    "rekomendasi",
    "satrya_emas",
    "sinergi",
    "unduh",
)
INPUT_PAGE = "input"
SIGN_IN_PAGE = "masuk"


@dataclass(frozen=True)
class Visitor:
    """The person behind one browser session: a user of the file, or an anonymous reader."""

    user_id: str | None = None
    name: str = ""
    role: str | None = None  # admin | opd | viewer; None while not signed in
    opd_code: str | None = None
    via: str = "anonymous"  # anonymous | password | oidc

    @property
    def signed_in(self) -> bool:
        return self.role is not None

    @property
    def actor(self) -> Actor | None:
        """The actor recorded on events; anonymous readers have none and record nothing."""
        if self.user_id is None or self.role is None:
            return None
        return Actor(self.user_id, self.role, self.opd_code)

    @property
    def can_record(self) -> bool:
        return self.role in (ADMIN, OPD)

    @classmethod
    def of(cls, user: User, via: str) -> Visitor:
        return cls(user.user_id, user.name, user.role, user.opd_code, via)


ANONYMOUS = Visitor()


def public_read_allowed(host: str, env: Mapping[str, str] | None = None) -> bool:
    """``MONEV_DASHBOARD_PUBLIC_READ=1`` lets anyone who reaches the server read every report.

    Off unless set explicitly (``make run`` sets it for the local demo). The listening address
    says nothing about who can reach it: behind a reverse proxy on the same machine every
    request arrives from loopback, so a loopback default would publish everything. ``host`` is
    kept for the callers that log it.
    """
    env = os.environ if env is None else env
    value = env.get(PUBLIC_READ_ENV, "0").strip().lower()
    return value in {"1", "true", "yes", "y", "on"}


def page_keys(visitor: Visitor, public_read: bool) -> tuple[str, ...]:
    """The pages that exist for this visitor: a viewer has no Input page, a stranger no data."""
    if visitor.role is None:
        return (*READ_PAGES, SIGN_IN_PAGE) if public_read else (SIGN_IN_PAGE,)
    if visitor.can_record:
        return (*READ_PAGES, INPUT_PAGE)
    return READ_PAGES


def check_password(
    users_path: Path, store: Path, user_id: str, password: str, client: str | None = None
) -> Visitor | None:
    """The visitor for a correct name and password, else None (whichever of the two was wrong).

    Throttled per user name and per client (``apps.authn``): raises ``ThrottledError`` while
    either has had too many recent failures, so the form can say so.
    """
    user = authenticate(users_path, store, user_id, password, client)
    return None if user is None else Visitor.of(user, "password")


def oidc_email_verified(claims: Mapping[str, object]) -> bool:
    """Only an address the identity provider verified names a user (``email_verified`` true)."""
    verified = claims.get("email_verified")
    return verified is True or (isinstance(verified, str) and verified.lower() == "true")


def resolve(
    users_path: Path, user_id: str | None, via: str, *, oidc_email: str | None = None
) -> Visitor:
    """Re-reads the users file on every run, so a removed user or changed role applies at once."""
    users = load_users(users_path)
    if via == "oidc" and oidc_email:
        for candidate in users.values():
            if hmac.compare_digest(candidate.user_id.lower(), oidc_email.lower()):
                return Visitor.of(candidate, "oidc")
        return ANONYMOUS
    if user_id and user_id in users:
        return Visitor.of(users[user_id], via)
    return ANONYMOUS
