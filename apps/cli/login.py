"""`monev login` and `monev logout`: a short-lived token instead of a password per command."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from apps import sessions
from apps.cli.context import ask_password, chosen_user, done, fail, refusals, settings


def login(
    password_stdin: Annotated[
        bool, typer.Option(help="Read the password from standard input instead of prompting.")
    ] = False,
    hours: Annotated[
        float, typer.Option(min=0.1, max=24.0, help="How long the token lasts (at most 24).")
    ] = sessions.TOKEN_SECONDS / 3600,
) -> None:
    """Prove who you are once: keeps a token (mode 0600) that later commands use.

    Example: monev --user admin login   (asks for admin's password)
    """
    from apps.authn import authenticate
    from apps.cli import identity

    user_id = chosen_user()
    if not user_id:
        raise fail("Say who is signing in: monev --user NAME login.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = ask_password("Password for {user}", user=user_id)
    store = sessions.sessions_path(settings().home)
    with refusals():
        user = authenticate(settings().users_path, store, user_id, password, "os-user")
        if user is None:
            raise fail("Wrong user name or password.")
        previous = identity.read_token()
        sessions.revoke(store, previous)
        token = sessions.create(store, user.user_id, "cli", lifetime=hours * 3600)
        path = identity.write_token(token)
    done(
        "Signed in as {user_id} for {hours} hours; token kept in {path} (mode 0600).",
        user_id=user.user_id,
        hours=hours,
        path=path,
    )


def logout() -> None:
    """Revokes the token from `monev login` and deletes its file.

    Example: monev logout
    """
    from apps.cli import identity

    store = sessions.sessions_path(settings().home)
    revoked = sessions.revoke(store, identity.read_token())
    identity.token_file().unlink(missing_ok=True)
    if revoked:
        done("Signed out: the token is revoked.")
    else:
        done("Signed out (no live token).")


def register(app: typer.Typer) -> None:
    app.command("login")(login)
    app.command("logout")(logout)
