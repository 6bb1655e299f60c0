"""Proving who you are, the same way for the dashboard, `monev login` and a CLI prompt.

A name and password are checked against the users file's scrypt hash, behind the throttle of
``apps.sessions`` (per user name and per client address). A correct password made with older
scrypt parameters is rehashed on the spot (``apps.users.upgrade_hash``).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from apps import sessions
from apps.users import User, hash_password, load_users, upgrade_hash, verify_password
from domain.actors import VIEWER
from domain.errors import PermissionDeniedError


@functools.cache
def _decoy() -> User:
    """A user with the hash of a random password, checked for unknown user names so that a
    wrong name costs the same time as a wrong password and the response time does not reveal
    which names exist. Made at the first unknown name, not at import: hashing at the current
    cost takes about half a second, which every command would otherwise pay at start."""
    return User("-", "-", VIEWER, password_hash=hash_password(os.urandom(12).hex()))


class ThrottledError(PermissionDeniedError):
    """Too many failed sign-ins for this user name or from this client: wait, then retry."""


def authenticate(
    users_path: Path, store: Path, user_id: str, password: str, client: str | None = None
) -> User | None:
    """The user for a correct name and password, else None; ThrottledError while throttled.

    A throttled attempt is refused before the password is checked, so even the right
    password does not get through until the window has passed.
    """
    user_id = user_id.strip()
    if sessions.throttled(store, user_id, client):
        raise ThrottledError(
            "Too many failed sign-ins ({count} within a minute) for this user or from this "
            "address: wait a minute, then try again.",
            count=sessions.MAX_FAILURES,
        )
    user = load_users(users_path).get(user_id)
    if user is None or not user.password_hash:
        verify_password(_decoy(), password)
        sessions.record_failure(store, user_id, client)
        return None
    if not verify_password(user, password):
        sessions.record_failure(store, user_id, client)
        return None
    sessions.clear_failures(store, user_id)
    upgrade_hash(users_path, user_id, password)
    return user
