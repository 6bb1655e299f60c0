"""`monev doctor`, `backup`, `restore`, `migrate` and `postgres-setup`: running monev in production.

Thin like every command: parse, call ``apps.doctor``, ``eventstore.backup``,
``eventstore.migrate`` or ``eventstore.postgres_roles``, print. Their refusals
(``StoreOperationError``) become the same one-line "Ditolak / refused" message and exit
code 1 as domain refusals.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from apps.cli.context import done, fail, settings


@contextmanager
def operation_refusals() -> Iterator[None]:
    from eventstore.stores import StoreOperationError

    try:
        yield
    except StoreOperationError as error:
        raise fail(str(error)) from None


def events(count: int) -> str:
    from eventstore.stores import events as counted

    return counted(count)


def doctor() -> None:
    """Show the effective configuration (secrets masked) and check that monev can work.

    Checks the event store connection and its guards, the DuckDB and dbt versions, and how
    old the published warehouse is. Exit code 0 when healthy, 1 when something must be fixed.

    Example: monev doctor
    """
    from rich.console import Console
    from rich.table import Table

    from apps.doctor import diagnose

    diagnosis = diagnose()
    console = Console(highlight=False, soft_wrap=True)
    table = Table(title="Konfigurasi / configuration", title_justify="left")
    table.add_column("setting", no_wrap=True)
    table.add_column("value", overflow="fold")
    table.add_column("from")
    for item in diagnosis.configuration:
        table.add_row(item.name, item.value or "-", item.source)
    console.print(table)
    marks = {"ok": "[green]ok[/]", "warning": "[yellow]warning[/]", "problem": "[red]PROBLEM[/]"}
    for finding in diagnosis.findings:
        console.print(f"{marks[finding.level]}  {finding.topic}: {finding.text}", markup=True)
    warnings = sum(1 for finding in diagnosis.findings if finding.level == "warning")
    if diagnosis.healthy:
        console.print("Sehat / healthy" + (f", {warnings} warning(s) above." if warnings else "."))
        return
    count = len(diagnosis.problems)
    console.print(f"{count} problem{'s' if count > 1 else ''} to fix (see above).")
    raise typer.Exit(code=1)


def backup(
    directory: Annotated[Path, typer.Argument(help="New or empty directory for the backup.")],
) -> None:
    """Write a consistent copy of the event store and a manifest to DIR.

    SQLite is copied with its online backup API; PostgreSQL with pg_dump. The store stays in
    use meanwhile. The warehouse is not backed up: `monev rebuild` remakes it.

    Example: monev backup /srv/backups/monev-2017-12-31
    """
    from eventstore.backup import backup as run_backup

    with operation_refusals():
        manifest = run_backup(settings(), directory)
    done(
        "Backup of the {store} store in {directory}: {events} up to position {position}, "
        "fingerprint {fingerprint} (sha256 {sha256}…).",
        fingerprint=manifest.fingerprint,
        store=manifest.store,
        directory=directory,
        events=events(manifest.event_count),
        position=manifest.last_position,
        sha256=manifest.sha256[:12],
    )


def restore(
    directory: Annotated[Path, typer.Argument(help="A directory made by `monev backup`.")],
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild/--no-rebuild",
            help="Rebuild the warehouse from the restored events afterwards.",
        ),
    ] = True,
) -> None:
    """Restore a backup into an empty event store, check it, and rebuild the warehouse.

    Refuses a store that already has events. PostgreSQL restores need the database owner's
    role (POSTGRES_USER), since they set the id sequence.

    Example: MONEV_HOME=/srv/monev-new monev restore /srv/backups/monev-2017-12-31
    """
    from eventstore.backup import restore as run_restore

    config = settings()
    with operation_refusals():
        summary = run_restore(config, directory, on_step=lambda step: typer.echo(step, err=True))
    done(
        "Restored {events} up to position {position}.",
        events=events(summary.event_count),
        position=summary.last_position,
    )
    if rebuild:
        _rebuild()


def _rebuild() -> None:
    from apps.cli.context import refusals

    try:
        from apps import refresh as refreshing
    except ImportError:  # pragma: no cover - the read side lands separately
        done("Run `monev rebuild` to build the warehouse from the restored events.")
        return
    with refusals():
        result = refreshing.rebuild(settings(), progress=True)
    done(refreshing.report_line(result))


def migrate(
    to: Annotated[str, typer.Option("--to", help="The kind of store to copy to: postgres.")],
    postgres_dsn: Annotated[
        str | None,
        typer.Option(
            help="Target as a libpq address, e.g. postgresql://owner@db/monev "
            "(default: the POSTGRES_* settings; the password is best left in POSTGRES_PASSWORD)."
        ),
    ] = None,
    page_size: Annotated[int, typer.Option(help="Events copied per page.")] = 5000,
) -> None:
    """Copy every event of the SQLite store into an empty PostgreSQL store, ids and all.

    The target is checked afterwards (count, last id, digest of every event). Run it as the
    database owner with writers stopped, then switch to MONEV_EVENT_STORE=postgres.

    Example: POSTGRES_HOST=db POSTGRES_DBNAME=monev POSTGRES_USER=monev_owner
    monev migrate --to postgres
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from eventstore.migrate import migrate_to_postgres, postgres_settings_from_dsn

    if to.lower() != "postgres":
        raise fail("monev migrates only to postgres, not {to!r}.", to=to)
    with (
        operation_refusals(),
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            transient=True,
            disable=not sys.stderr.isatty(),
        ) as progress,
    ):
        task = progress.add_task("Copying events", total=None)
        overrides = postgres_settings_from_dsn(postgres_dsn) if postgres_dsn else None
        result = migrate_to_postgres(
            settings(),
            overrides,
            page_size=page_size,
            on_start=lambda total: progress.update(task, total=total),
            on_page=lambda count: progress.advance(task, count),
        )
    done(
        "Copied {events} up to position {position} into {target}; contents verified.",
        events=events(result.target.event_count),
        position=result.target.last_position,
        target=result.target_description,
    )
    done(
        "Now set MONEV_EVENT_STORE=postgres (with the same POSTGRES_* settings) for every "
        "monev process. Positions are unchanged, so the warehouse stays valid."
    )


def postgres_setup(
    app_role: Annotated[
        str, typer.Option(help="Database role for the monev processes (INSERT and SELECT only).")
    ] = "monev_app",
    file: Annotated[
        Path | None,
        typer.Option(help="File holding the role's password, e.g. a compose secret."),
    ] = None,
    app_password_stdin: Annotated[
        bool,
        typer.Option("--app-password-stdin", help="Read the role's password from standard input."),
    ] = False,
) -> None:
    """As the database owner: create the event store's tables and the append-only app role.

    Run once with POSTGRES_USER set to the owner (it is safe to run again). Afterwards run
    monev with POSTGRES_USER set to the app role.

    Example: monev postgres-setup --app-role monev_app --app-password-file /run/secrets/app_pw
    """
    from eventstore.postgres_roles import setup_postgres

    config = settings()
    if config.event_store != "postgres":
        raise fail("Set MONEV_EVENT_STORE=postgres and the owner's POSTGRES_* settings first.")
    password: str | None = None
    if file is not None:
        try:
            password = file.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise fail(
                "Cannot read {file}: {error}.",
                file=file,
                error=error.strerror,
            ) from None
    elif app_password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    if password is not None and not password:
        raise fail("The app role's password is empty.")
    with operation_refusals():
        description = setup_postgres(config, app_role, password)
    done(
        "Event store ready in {description}; role {app_role} may only INSERT and SELECT events.",
        description=description,
        app_role=app_role,
    )
    done(
        f"Run monev as it: POSTGRES_USER={app_role}"
        + (
            ""
            if password
            else " (its password is as it was; a new role has none: --app-password-file)"
        )
    )


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("migrate")(migrate)
    app.command("postgres-setup")(postgres_setup)
