"""`monev user …`, `monev demo` and `monev log`: setting up and looking back.

The users file, sessions and sign-in modules are imported by the commands that use them, so
that `monev --help`, which builds every command, does not load them.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer

from apps.cli.context import (
    actor,
    application,
    ask_password,
    done,
    fail,
    is_interactive,
    refusals,
    settings,
)
from domain.errors import MonevError

user_app = typer.Typer(rich_markup_mode=None, help="Users and their roles.", no_args_is_help=True)


@user_app.command("add")
def add_user(
    user_id: Annotated[str, typer.Argument(help="User name used to sign in and with --user.")],
    role: Annotated[str, typer.Option(help="admin, opd or viewer.")],
    opd: Annotated[str | None, typer.Option(help="Agency code, for role opd.")] = None,
    name: Annotated[
        str, typer.Option(help="Full name (kept from the file when replacing a user).")
    ] = "",
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin", help="Read the password from standard input instead of prompting."
        ),
    ] = False,
    no_password: Annotated[
        bool,
        typer.Option("--no-password", help="No dashboard sign-in (CLI only, e.g. for scripts)."),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Accept an --opd not registered in the event store (setting up users first).",
        ),
    ] = False,
) -> None:
    """Add or replace a user in the users file; the password is stored only as a hash.

    Example: monev user add admin --role admin   (prompts for the password)

    Without a prompt (scripts): printf %s "$PASSWORD" | monev user add diskop --role opd
    --opd DISKOPUKM --password-stdin; or --no-password for a user who only uses the CLI.
    """
    from apps import sessions
    from apps.users import User, hash_password, load_users, save_users
    from domain.actors import OPD, ROLES

    if role not in ROLES:
        raise fail("Role '{role}' is unknown: use admin, opd or viewer.", role=role)
    if role == OPD and not opd:
        raise fail("A user with role opd needs --opd CODE.")
    if opd and not force:
        try:  # an unregistered OPD is a typo until said otherwise
            application().get_opd(opd)
        except MonevError:
            raise fail(
                "OPD '{code}' is not registered in the event store: check the code (monev opd "
                "list), or add --force to set up users before the store.",
                code=opd.upper(),
            ) from None
    password_hash = None
    _check_may_manage_users()
    with refusals():
        if not no_password:
            if password_stdin:
                password = sys.stdin.readline().rstrip("\r\n")
                if not password:
                    raise fail(
                        "No password was given on standard input: pipe one in, or use "
                        "--no-password for a user who never signs in to the dashboard."
                    )
            else:
                password = ask_password("Password for {user}", confirm=True, user=user_id)
            password_hash = hash_password(password)
        path = settings().users_path
        users = load_users(path)
        # Replacing a user (a new password, another role) keeps the name unless a new one is given.
        known = users.get(user_id)
        name = name or (known.name if known else user_id)
        users[user_id] = User(user_id, name, role, opd.upper() if opd else None, password_hash)
        users[user_id].actor  # noqa: B018 - validates before writing
        save_users(path, users)
        # A new password or role ends the user's sign-ins and tokens made with the old one.
        sessions.revoke_user(sessions.sessions_path(settings().home), user_id)
    done("User {user_id} ({role}) saved in {path}.", user_id=user_id, role=role, path=path)


def _check_may_manage_users() -> None:
    """On a shared store, once an admin can sign in, only a proved admin adds or changes users.

    The first admin is added by whoever may write the users file (the service account), as
    `docs/deploying.md` shows; on the embedded store the home's owner is trusted anyway.
    """
    from apps.cli.identity import EMBEDDED_STORES
    from apps.users import load_users
    from domain.actors import ADMIN

    if settings().event_store in EMBEDDED_STORES:
        return
    users = load_users(settings().users_path)
    if any(user.role == ADMIN and user.password_hash for user in users.values()):
        with refusals():
            actor().check_admin("add or change users")


@user_app.command("list")
def list_users() -> None:
    """List the users, their roles and agencies (never their passwords).

    Example: monev user list
    """
    from apps.users import load_users

    with refusals():
        users = load_users(settings().users_path)
    for user in users.values():
        sign_in = "sign-in" if user.password_hash else "no password"
        typer.echo(
            f"{user.user_id}	{user.role}	{user.opd_code or '-'}	{sign_in}	{user.name}"
        )


def demo(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when the store has events.")
    ] = False,
    scale: Annotated[
        int | None,
        typer.Option(help="Instead of the story, make a synthetic store of about N events."),
    ] = None,
) -> None:
    """Fill an empty store with the 2017 demo story (or a synthetic one for benchmarks).

    Example: monev demo
    """
    from apps.cli.identity import EMBEDDED_STORES
    from apps.demo import demo_users, load_demo
    from apps.users import load_users, save_users

    if settings().event_store not in EMBEDDED_STORES:
        # A shared store records the demo only for a division-staff user who proved it.
        with refusals():
            actor().check_admin("load the demo into a shared store")
    app = application()
    if app.last_position():
        if if_empty:
            done(
                "The store already has {count} events; demo not loaded.",
                count=app.last_position(),
            )
            return
        raise fail("The store is not empty; the demo only fills an empty store.")
    path = settings().users_path
    users = load_users(path)
    for user_id, user in demo_users().items():
        users.setdefault(user_id, user)
    save_users(path, users)
    if scale:
        from apps.demo_scale import load_scale

        count = load_scale(app, scale, progress=True)
        done("Synthetic store: {count} events.", count=count)
        return
    with refusals():
        steps = (lambda step: typer.echo(f"  {step}", err=True)) if is_interactive() else None
        count = load_demo(app, progress=steps)
    done("Demo story 2017 loaded: {count} events; demo users in {path}.", count=count, path=path)


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise fail(
            "'{value}' is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM.", value=value
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def log(
    aggregate: Annotated[
        str | None, typer.Option(help="Only this code (activity, OPD, mentor, quarter …).")
    ] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only events of this user.")] = None,
    event: Annotated[
        str | None, typer.Option(help="Only this event type, e.g. EvaluationRecorded.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Recorded at or after, YYYY-MM-DD[THH:MM].")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Recorded at or before, YYYY-MM-DD[THH:MM].")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Stop after this many rows.")] = None,
) -> None:
    """Print the history: position, time, actor, event, aggregate, details.

    Example: monev log --aggregate A-DISKOP-02 --event EvaluationCorrected
    """
    from apps.history import history
    from domain.rules import printable  # an old event's newline stays on its line

    rows = history(
        application(),
        aggregate=aggregate,
        actor=actor,
        event_type=event,
        since=_when(since),
        until=_when(until),
    )
    try:
        for shown, row in enumerate(rows, start=1):
            typer.echo(
                f"{row.position}\t{row.recorded_at:%Y-%m-%d %H:%M:%S}\t{row.actor}\t"
                f"{row.event}\t{row.aggregate}\t{printable(row.details, limit=100_000)}"
            )
            if limit and shown >= limit:
                break
    except BrokenPipeError:  # `monev log | head`
        sys.stderr.close()


def register(app: typer.Typer) -> None:
    """Adds ``monev demo`` and ``monev log`` to the root app."""
    app.command("demo")(demo)
    app.command("log")(log)
