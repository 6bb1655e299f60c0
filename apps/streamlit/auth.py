"""Who is looking at the dashboard, and which pages exist for them.

Two ways in, both ending in an entry of the users file (``apps/users.py``), which alone gives a
role and an agency:

- a user name and password checked against the file's scrypt hash (no password is shipped;
  `monev user add NAME --role admin` creates the first admin);
- OIDC through ``st.login`` when Streamlit's ``[auth]`` secrets are configured: the identity
  provider's e-mail address must be a user name in the users file (add it with
  ``monev user add someone@pasuruankab.go.id --role viewer --no-password``); an unknown address
  gets no role.

Reading without signing in ("public read") is allowed when ``MONEV_DASHBOARD_PUBLIC_READ`` says
so; its default, ``auto``, allows it only while the server listens on a loopback address, where
only people at the machine itself can reach it (``make run`` on a laptop). Recording always needs
a signed-in admin or opd user, and the domain checks every command again.

Nothing in this module touches Streamlit's session: callers pass what they read, so the rules
are plain functions the tests can call.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from apps.users import User, hash_password, load_users, verify_password
from domain.actors import ADMIN, OPD, VIEWER, Actor

PUBLIC_READ_ENV = "MONEV_DASHBOARD_PUBLIC_READ"
# Session keys holding who signed in with a password; the role is looked up again each run.
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

# A hash of a random password, checked for unknown user names so that a wrong name costs the
# same time as a wrong password and the response time does not reveal which names exist.
_DECOY = User("-", "-", VIEWER, password_hash=hash_password(os.urandom(12).hex()))


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
    """``MONEV_DASHBOARD_PUBLIC_READ``: ``1``/``0``, or ``auto`` (default: loopback host only)."""
    env = os.environ if env is None else env
    value = env.get(PUBLIC_READ_ENV, "auto").strip().lower()
    if value in {"1", "true", "yes", "y", "on"}:
        return True
    if value in {"0", "false", "no", "n", "off"}:
        return False
    return is_loopback(host)


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def page_keys(visitor: Visitor, public_read: bool) -> tuple[str, ...]:
    """The pages that exist for this visitor: a viewer has no Input page, a stranger no data."""
    if visitor.role is None:
        return (*READ_PAGES, SIGN_IN_PAGE) if public_read else (SIGN_IN_PAGE,)
    if visitor.can_record:
        return (*READ_PAGES, INPUT_PAGE)
    return READ_PAGES


def check_password(users_path: Path, user_id: str, password: str) -> Visitor | None:
    """The visitor for a correct name and password, else None (whichever of the two was wrong)."""
    users = load_users(users_path)
    user = users.get(user_id.strip())
    if user is None or not user.password_hash:
        verify_password(_DECOY, password)
        return None
    if not verify_password(user, password):
        return None
    return Visitor.of(user, "password")


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
