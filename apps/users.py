"""Users and their roles, from a TOML file (``$MONEV_HOME/users.toml`` or ``MONEV_USERS_FILE``).

The file is the documented configuration of who may act::

    [users.admin]
    name = "Staf Bagian Perekonomian"
    role = "admin"                      # admin | opd | viewer
    password_hash = "scrypt$..."        # set by `monev user add`; never a plain password

    [users.diskop]
    name = "Operator Dinas Koperasi"
    role = "opd"
    opd = "DISKOPUKM"                   # OPD staff act only for this agency

No password is shipped: `monev user add NAME --role admin` creates the first admin.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from domain.actors import ROLES, Actor
from domain.errors import InvalidInputError, NotFoundError, PermissionDeniedError

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class User:
    user_id: str
    name: str
    role: str
    opd_code: str | None = None
    password_hash: str | None = None

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id, self.role, self.opd_code)


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """scrypt from the standard library: slow to guess, nothing to install."""
    if len(password) < 8:
        raise InvalidInputError("A password needs at least 8 characters.")
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def verify_password(user: User, password: str) -> bool:
    if not user.password_hash or not user.password_hash.startswith("scrypt$"):
        return False
    _, salt_b64, digest_b64 = user.password_hash.split("$", 2)
    salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
    actual = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return hmac.compare_digest(actual, expected)


def load_users(path: Path) -> dict[str, User]:
    """Reads the users file; a missing file means no users yet."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InvalidInputError(
            "The users file {path} is not valid TOML: {error}.", path=path, error=error
        ) from None
    users: dict[str, User] = {}
    for user_id, entry in data.get("users", {}).items():
        role = str(entry.get("role", ""))
        if role not in ROLES:
            raise InvalidInputError(
                "User '{user_id}' in {path} has role '{role}'; use admin, opd or viewer.",
                user_id=user_id,
                path=path,
                role=role,
            )
        users[user_id] = User(
            user_id=user_id,
            name=str(entry.get("name", user_id)),
            role=role,
            opd_code=str(entry["opd"]).upper() if entry.get("opd") else None,
            password_hash=entry.get("password_hash"),
        )
        users[user_id].actor  # noqa: B018 - validates the role/agency pair early
    return users


def save_users(path: Path, users: dict[str, User]) -> None:
    """Writes the file whole (atomic rename), so a crash never leaves half a users file."""
    lines = ["# monev users: see apps/users.py for the format. No plain passwords here.", ""]
    for user in sorted(users.values(), key=lambda u: u.user_id):
        lines.append(f"[users.{_toml_key(user.user_id)}]")
        lines.append(f"name = {_toml_str(user.name)}")
        lines.append(f"role = {_toml_str(user.role)}")
        if user.opd_code:
            lines.append(f"opd = {_toml_str(user.opd_code)}")
        if user.password_hash:
            lines.append(f"password_hash = {_toml_str(user.password_hash)}")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines), "utf-8")
    os.replace(tmp, path)


def find_user(users: dict[str, User], user_id: str | None) -> User:
    """Resolves the acting user, with a message that says how to fix a missing one."""
    if not user_id:
        raise PermissionDeniedError(
            "Say who is acting: --user NAME or the MONEV_USER environment variable."
        )
    try:
        return users[user_id]
    except KeyError:
        raise NotFoundError(
            "User '{user_id}' is not in the users file; add it with `monev user add`.",
            user_id=user_id,
        ) from None


def _toml_str(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _toml_key(value: str) -> str:
    return value if value.replace("-", "").replace("_", "").isalnum() else _toml_str(value)
