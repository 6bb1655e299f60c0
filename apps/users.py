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
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path

from domain.actors import ROLES, Actor
from domain.errors import InvalidInputError, NotFoundError, PermissionDeniedError

# OWASP's minimum for scrypt (N=2^17, r=8, p=1): about 128 MiB and a few tenths of a second per
# guess. The parameters travel in the hash string, so raising them later upgrades each user's
# hash at their next sign-in (``needs_rehash``) instead of locking everybody out.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**17, 8, 1
# Hashes written before parameters were stored ("scrypt$salt$digest") used these.
_LEGACY = (2**14, 8, 1)
_MAXMEM = 2**28  # hashlib's default (32 MiB) is too small for N=2^17


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
    """scrypt from the standard library, as ``scrypt$n=…,r=…,p=…$salt$digest``."""
    if len(password) < 8:
        raise InvalidInputError("A password needs at least 8 characters.")
    salt = salt or os.urandom(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return (
        f"scrypt$n={SCRYPT_N},r={SCRYPT_R},p={SCRYPT_P}$"
        + base64.b64encode(salt).decode()
        + "$"
        + base64.b64encode(digest).decode()
    )


def verify_password(user: User, password: str) -> bool:
    """True for the right password, whatever parameters the stored hash was made with."""
    parsed = _parse(user.password_hash)
    if parsed is None:
        return False
    (n, r, p), salt, expected = parsed
    actual = _scrypt(password, salt, n, r, p, length=len(expected))
    return hmac.compare_digest(actual, expected)


def needs_rehash(password_hash: str | None) -> bool:
    """A hash made with weaker parameters than today's (rehash it at the next sign-in)."""
    parsed = _parse(password_hash)
    if parsed is None:
        return False
    n, r, p = parsed[0]
    return n < SCRYPT_N or r < SCRYPT_R or p < SCRYPT_P


def upgrade_hash(path: Path, user_id: str, password: str) -> bool:
    """Rewrites the user's hash with today's parameters after a correct sign-in.

    Best effort: a read-only users file (a dashboard container) keeps the old hash, which
    still works, and the next sign-in where the file is writable upgrades it.
    """
    users = load_users(path)
    user = users.get(user_id)
    if user is None or not needs_rehash(user.password_hash) or not verify_password(user, password):
        return False
    users[user_id] = replace(user, password_hash=hash_password(password))
    try:
        save_users(path, users)
    except OSError:
        return False
    return True


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, *, length: int = 64) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=length
    )


def _parse(password_hash: str | None) -> tuple[tuple[int, int, int], bytes, bytes] | None:
    """(parameters, salt, digest) of a stored hash, or None for no or an unknown hash."""
    if not password_hash or not password_hash.startswith("scrypt$"):
        return None
    parts = password_hash.split("$")
    try:
        if len(parts) == 3:  # the old format, without parameters
            params = _LEGACY
            salt_b64, digest_b64 = parts[1], parts[2]
        elif len(parts) == 4:
            fields = dict(item.split("=", 1) for item in parts[1].split(","))
            params = (int(fields["n"]), int(fields["r"]), int(fields["p"]))
            salt_b64, digest_b64 = parts[2], parts[3]
        else:
            return None
        n, r, p = params
        if n < 2 or n & (n - 1) or n > 2**20 or not 1 <= r <= 32 or not 1 <= p <= 16:
            return None  # refuse absurd parameters instead of spending minutes on them
        return params, base64.b64decode(salt_b64), base64.b64decode(digest_b64)
    except (KeyError, ValueError):
        return None


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
    with suppress(FileNotFoundError):
        tmp.unlink()
    # Created 0600 (owner only) before anything is written, so no hash is ever readable by
    # others, not even for a moment; the rename keeps that mode.
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write("\n".join(lines))
    os.chmod(tmp, 0o600)  # whatever the umask
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
