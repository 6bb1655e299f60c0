"""Sign-in sessions, CLI tokens and the throttle of failed sign-ins, in one small SQLite file.

``$MONEV_HOME/sessions.sqlite`` (or ``MONEV_SESSIONS_FILE``), mode 0600, shared by the dashboard
and the CLI on the same machine so a throttle or a revocation applies to both.

- A **session** (dashboard cookie) or **token** (``monev login``) is 32 random bytes shown to
  the client once; only its SHA-256 is stored, so a copy of this file signs nobody in. Each has
  an absolute expiry and, for sessions, an inactivity limit; revoking deletes the row.
- **Throttle**: after ``MAX_FAILURES`` failed sign-ins within ``WINDOW_SECONDS`` for one user
  name, or from one client address, further attempts are refused until the window has passed,
  even with the right password, so guessing costs minutes instead of milliseconds.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

SESSIONS_FILE_ENV = "MONEV_SESSIONS_FILE"
MAX_FAILURES = 5
WINDOW_SECONDS = 60.0
SESSION_IDLE_SECONDS = 30 * 60  # a dashboard session ends after 30 minutes without use
SESSION_MAX_SECONDS = 12 * 3600  # and after 12 hours in any case
TOKEN_SECONDS = 8 * 3600  # a `monev login` token lasts a working day

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    digest TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    created REAL NOT NULL,
    last_seen REAL NOT NULL,
    expires REAL NOT NULL,
    idle_seconds REAL
);
CREATE TABLE IF NOT EXISTS failures (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS failures_key ON failures (key, at);
"""


def sessions_path(home: Path, env: dict[str, str] | None = None) -> Path:
    values = os.environ if env is None else env
    named = values.get(SESSIONS_FILE_ENV)
    return Path(named) if named else home / "sessions.sqlite"


@dataclass(frozen=True)
class Grant:
    """Who a valid session or token belongs to."""

    user_id: str
    kind: str
    expires: float


@contextmanager
def _open(path: Path) -> Iterator[sqlite3.Connection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)
    with closing(sqlite3.connect(path, timeout=10, isolation_level=None)) as connection:
        connection.executescript(_SCHEMA)
        yield connection


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(
    path: Path,
    user_id: str,
    kind: str,
    *,
    lifetime: float,
    idle: float | None = None,
    now: float | None = None,
) -> str:
    """A new secret for ``user_id``; returned once, stored only as its digest."""
    token = secrets.token_urlsafe(32)
    at = time.time() if now is None else now
    with _open(path) as db:
        db.execute(
            "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?)",
            (_digest(token), user_id, kind, at, at, at + lifetime, idle),
        )
    return token


def verify(path: Path, token: str | None, kind: str, *, now: float | None = None) -> Grant | None:
    """The grant for a live token of this kind (and a touch of its last use), else None."""
    if not isinstance(token, str) or not token or not path.exists():
        return None
    at = time.time() if now is None else now
    with _open(path) as db:
        row = db.execute(
            "SELECT user_id, last_seen, expires, idle_seconds FROM sessions "
            "WHERE digest = ? AND kind = ?",
            (_digest(token), kind),
        ).fetchone()
        if row is None:
            return None
        user_id, last_seen, expires, idle = row
        if at >= expires or (idle is not None and at - last_seen >= idle):
            db.execute("DELETE FROM sessions WHERE digest = ?", (_digest(token),))
            return None
        db.execute("UPDATE sessions SET last_seen = ? WHERE digest = ?", (at, _digest(token)))
    return Grant(user_id, kind, expires)


def revoke(path: Path, token: str | None) -> bool:
    """Ends one session or token; True if it existed."""
    if not token or not path.exists():
        return False
    with _open(path) as db:
        return db.execute("DELETE FROM sessions WHERE digest = ?", (_digest(token),)).rowcount > 0


def revoke_user(path: Path, user_id: str) -> int:
    """Ends every session and token of a user (a password change, a removed user)."""
    if not path.exists():
        return 0
    with _open(path) as db:
        return db.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,)).rowcount


# -- throttling ------------------------------------------------------------------------------


def _keys(user_id: str, client: str | None) -> list[str]:
    keys = [f"user:{user_id.strip().lower()}"]
    if client:
        keys.append(f"client:{client}")
    return keys


def throttled(path: Path, user_id: str, client: str | None, *, now: float | None = None) -> bool:
    """True while this user name or this client has had too many recent failures."""
    at = time.time() if now is None else now
    with _open(path) as db:
        db.execute("DELETE FROM failures WHERE at < ?", (at - WINDOW_SECONDS,))
        for key in _keys(user_id, client):
            (recent,) = db.execute(
                "SELECT count(*) FROM failures WHERE key = ? AND at >= ?",
                (key, at - WINDOW_SECONDS),
            ).fetchone()
            if recent >= MAX_FAILURES:
                return True
    return False


def record_failure(
    path: Path, user_id: str, client: str | None, *, now: float | None = None
) -> None:
    at = time.time() if now is None else now
    with _open(path) as db:
        db.executemany(
            "INSERT INTO failures VALUES (?, ?)", [(k, at) for k in _keys(user_id, client)]
        )


def clear_failures(path: Path, user_id: str) -> None:
    """A correct sign-in clears the user's count (a client's count runs out by itself)."""
    with _open(path) as db:
        db.execute("DELETE FROM failures WHERE key = ?", (_keys(user_id, None)[0],))
