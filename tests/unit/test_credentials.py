"""Passwords, sign-in sessions, tokens and the throttle: the stores are real files in tmp_path.

scrypt runs at its real cost (N=2^17, a few tenths of a second per hash), so each test hashes
as little as it can.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
import time
from dataclasses import replace
from pathlib import Path

import pytest

from apps import sessions
from apps.authn import ThrottledError, authenticate
from apps.users import (
    SCRYPT_N,
    User,
    hash_password,
    load_users,
    needs_rehash,
    save_users,
    verify_password,
)
from domain.actors import ADMIN, VIEWER

PASSWORD = "rahasia-dinas-2017"


@pytest.fixture(scope="module")
def current_hash() -> str:
    return hash_password(PASSWORD)


def legacy_hash(password: str) -> str:
    """What monev stored before parameters were kept: scrypt$salt$digest at N=2^14."""
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_hash_uses_owasp_parameters_and_names_them(current_hash: str) -> None:
    assert SCRYPT_N >= 2**17
    assert current_hash.startswith("scrypt$n=131072,r=8,p=1$")
    user = User("u", "U", VIEWER, password_hash=current_hash)
    assert verify_password(user, PASSWORD)
    assert not verify_password(user, PASSWORD + "x")
    assert not needs_rehash(current_hash)


def test_an_old_parameter_hash_still_signs_in_and_is_upgraded(tmp_path: Path) -> None:
    users_path, store = tmp_path / "users.toml", tmp_path / "sessions.sqlite"
    old = legacy_hash(PASSWORD)
    assert needs_rehash(old)
    save_users(users_path, {"rina": User("rina", "Rina", ADMIN, password_hash=old)})

    assert authenticate(users_path, store, "rina", "salah-sandinya") is None
    assert load_users(users_path)["rina"].password_hash == old, "no upgrade on a wrong password"
    user = authenticate(users_path, store, "rina", PASSWORD)

    assert user is not None and user.user_id == "rina"
    upgraded = load_users(users_path)["rina"]
    assert upgraded.password_hash is not None
    assert upgraded.password_hash.startswith("scrypt$n=131072,r=8,p=1$")
    assert verify_password(upgraded, PASSWORD)
    assert authenticate(users_path, store, "rina", PASSWORD) is not None


def test_users_toml_is_created_and_rewritten_with_mode_0600(
    tmp_path: Path, current_hash: str
) -> None:
    path = tmp_path / "users.toml"
    previous = os.umask(0o022)
    try:
        save_users(path, {"rina": User("rina", "Rina", ADMIN, password_hash=current_hash)})
        assert mode(path) == 0o600
        path.chmod(0o644)  # someone widened it
        users = load_users(path)
        save_users(path, {**users, "bupati": User("bupati", "Bupati", VIEWER)})
        assert mode(path) == 0o600
    finally:
        os.umask(previous)
    assert set(load_users(path)) == {"rina", "bupati"}


def test_the_sixth_failed_sign_in_within_a_minute_is_throttled(
    tmp_path: Path, current_hash: str
) -> None:
    users_path, store = tmp_path / "users.toml", tmp_path / "sessions.sqlite"
    save_users(users_path, {"rina": User("rina", "Rina", ADMIN, password_hash=current_hash)})
    for _ in range(sessions.MAX_FAILURES):
        assert authenticate(users_path, store, "rina", "tebak-tebak", "10.0.0.9") is None
    with pytest.raises(ThrottledError, match="Too many failed sign-ins"):
        authenticate(users_path, store, "rina", PASSWORD, "10.0.0.8")  # even the right one
    # The window passes: the user may sign in again.
    later = time.time() + sessions.WINDOW_SECONDS + 1
    assert not sessions.throttled(store, "rina", "10.0.0.8", now=later)


def test_one_client_guessing_many_names_is_throttled_too(tmp_path: Path) -> None:
    store = tmp_path / "sessions.sqlite"
    for number in range(sessions.MAX_FAILURES):
        sessions.record_failure(store, f"user-{number}", "198.51.100.4")
    assert sessions.throttled(store, "someone-else", "198.51.100.4")
    assert not sessions.throttled(store, "someone-else", "198.51.100.5")


def test_a_session_expires_after_inactivity_and_in_any_case_and_can_be_revoked(
    tmp_path: Path,
) -> None:
    store = tmp_path / "sessions.sqlite"
    start = 1_000_000.0
    token = sessions.create(store, "rina", "web", lifetime=3600, idle=600, now=start)
    assert token not in store.read_bytes().decode("latin-1"), "only a digest is stored"
    assert mode(store) == 0o600
    assert sessions.verify(store, token, "web", now=start + 500) is not None
    assert sessions.verify(store, token, "web", now=start + 1000) is not None  # used at 500
    assert sessions.verify(store, token, "web", now=start + 1700) is None  # 700 s idle
    assert sessions.verify(store, token, "web", now=start + 100) is None  # and gone for good

    busy = sessions.create(store, "rina", "web", lifetime=3600, idle=600, now=start)
    for minute in range(1, 60):
        assert sessions.verify(store, busy, "web", now=start + 60 * minute) is not None
    assert sessions.verify(store, busy, "web", now=start + 3600) is None  # absolute expiry

    revoked = sessions.create(store, "rina", "cli", lifetime=3600)
    assert sessions.verify(store, revoked, "web") is None, "a CLI token is no web session"
    assert sessions.revoke(store, revoked)
    assert sessions.verify(store, revoked, "cli") is None


def test_a_password_change_ends_the_users_sessions(tmp_path: Path) -> None:
    store = tmp_path / "sessions.sqlite"
    token = sessions.create(store, "rina", "web", lifetime=3600)
    other = sessions.create(store, "budi", "web", lifetime=3600)
    assert sessions.revoke_user(store, "rina") == 1
    assert sessions.verify(store, token, "web") is None
    assert sessions.verify(store, other, "web") is not None


def test_an_unknown_user_costs_a_hash_and_counts_as_a_failure(
    tmp_path: Path, current_hash: str
) -> None:
    users_path, store = tmp_path / "users.toml", tmp_path / "sessions.sqlite"
    save_users(users_path, {"rina": replace(User("rina", "Rina", ADMIN), password_hash=None)})
    for _ in range(sessions.MAX_FAILURES):
        assert authenticate(users_path, store, "tidak-ada", PASSWORD) is None
    assert sessions.throttled(store, "tidak-ada", None)
    assert authenticate(users_path, store, "rina", PASSWORD) is None  # no password: no sign-in
