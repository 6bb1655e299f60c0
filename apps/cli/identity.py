"""Who is acting on the command line, proved rather than claimed.

A command records as a user only when one of these holds, checked in this order:

1. **A token** from `monev login` (``MONEV_TOKEN``, else the token file ``MONEV_TOKEN_FILE`` or
   ``~/.config/monev/token``, mode 0600): live, not revoked, not expired. ``--user`` /
   ``MONEV_USER``, if given, must name the token's user.
2. **Local-admin mode**, for the embedded SQLite (or in-memory) store only: the operating-system
   user running the command owns ``MONEV_HOME``, so they could edit the event store and the users
   file anyway; ``--user`` / ``MONEV_USER`` is then trusted. ``MONEV_LOCAL_ADMIN=0`` turns it off.
   Never with PostgreSQL, where the store is shared and the application role's password is
   known to every process.
3. **The user's password**, asked for when the command runs in a terminal.

Anything else is refused, so on a PostgreSQL store ``MONEV_USER=admin`` alone records nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from apps import sessions
from apps.authn import authenticate
from apps.users import User, find_user, load_users
from domain.errors import PermissionDeniedError
from eventstore.settings import Settings

TOKEN_ENV = "MONEV_TOKEN"
TOKEN_FILE_ENV = "MONEV_TOKEN_FILE"
LOCAL_ADMIN_ENV = "MONEV_LOCAL_ADMIN"
EMBEDDED_STORES = ("sqlite", "memory")


def token_file() -> Path:
    named = os.environ.get(TOKEN_FILE_ENV)
    if named:
        return Path(named).expanduser()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "monev" / "token"


def read_token() -> str | None:
    if os.environ.get(TOKEN_ENV):
        return os.environ[TOKEN_ENV].strip()
    path = token_file()
    try:
        return path.read_text("utf-8").strip() or None
    except OSError:
        return None


def write_token(token: str) -> Path:
    """Writes the token file owner-only (0600) from its first byte."""
    path = token_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(token + "\n")
    os.chmod(path, 0o600)
    return path


def local_admin_mode(settings: Settings) -> bool:
    """True for an embedded store whose home belongs to the user running this process."""
    if settings.event_store not in EMBEDDED_STORES:
        return False
    if os.environ.get(LOCAL_ADMIN_ENV, "1").strip().lower() in {"0", "false", "no", "off"}:
        return False
    home = settings.home.resolve()
    while not home.exists():  # a first `monev demo` creates it
        home = home.parent
    return home.stat().st_uid == os.getuid()


def authenticated_user(settings: Settings, user_id: str | None, *, interactive: bool) -> User:
    """The user this command may record as, or PermissionDeniedError saying how to prove it."""
    users = load_users(settings.users_path)
    store = sessions.sessions_path(settings.home)
    token = read_token()
    if token:
        grant = sessions.verify(store, token, "cli")
        if grant is not None:
            if user_id and user_id != grant.user_id:
                raise PermissionDeniedError(
                    "The token from `monev login` is {owner}'s, not {user_id}'s: run "
                    "`monev logout`, then `monev login` as the other user.",
                    owner=grant.user_id,
                    user_id=user_id,
                )
            return find_user(users, grant.user_id)
        if os.environ.get(TOKEN_ENV):
            raise PermissionDeniedError(
                "{variable} holds an expired or revoked token: run `monev login` again.",
                variable=TOKEN_ENV,
            )
    if local_admin_mode(settings):
        return find_user(users, user_id)
    user = find_user(users, user_id)
    if interactive:
        from apps.cli.context import ask_password

        password = ask_password("Password for {user}", user=user.user_id)
        proved = authenticate(settings.users_path, store, user.user_id, password, _client())
        if proved is not None:
            return proved
        raise PermissionDeniedError("Wrong user name or password.")
    raise PermissionDeniedError(
        "Naming a user is not enough on a {store} store: run `monev login --user NAME` first "
        "(it asks for the password and keeps a token for {hours} hours), or run the command "
        "in a terminal to be asked for the password.",
        store=settings.event_store,
        hours=sessions.TOKEN_SECONDS // 3600,
    )


def _client() -> str:
    """The throttle's client key on the command line: the operating-system user."""
    return f"os-user:{os.getuid()}"
