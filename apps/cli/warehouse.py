"""`monev refresh`, `monev rebuild` and `monev dashboard`: the read side's entry points."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from apps import messages
from apps.cli.context import done, fail, lang, refusals, settings

if TYPE_CHECKING:
    from projections.as_of import AsOf


def _as_of(value: str) -> AsOf:
    """rakor:2017-Q2, position:N or a time; a date means the end of that day (WIB)."""
    from projections.as_of import AsOfError, parse

    try:
        request = parse(value)
    except AsOfError as error:
        raise fail(error) from None
    if request.assumed_zone:
        assert request.moment is not None
        typer.echo(
            messages.render(
                "'{value}' has no time zone: read as Asia/Jakarta (WIB), {moment}.",
                lang(),
                value=value,
                moment=request.moment.isoformat(),
            ),
            err=True,
        )
    return request


def refresh(
    watch: Annotated[
        bool, typer.Option("--watch", help="Keep refreshing as new events arrive; Ctrl-C stops.")
    ] = False,
    interval: Annotated[
        float | None,
        typer.Option(help="Seconds between polls of a SQLite store (default MONEV_POLL_SECONDS)."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            help="Build the warehouse as known then into a separate file: rakor:2017-Q2 (when "
            "that rakor was recorded), position:N, or a time (no zone: Asia/Jakarta)."
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="File for --as-of (default in MONEV_HOME).")
    ] = None,
) -> None:
    """Catch up the projection, build the marts and publish the warehouse by atomic rename.

    Example: monev refresh   |   monev refresh --watch   |   monev refresh --as-of rakor:2017-Q2
    """
    from apps import refresh as refreshing

    config = settings()
    if watch:
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: _stop_watching(stop))
        with refusals():
            refreshing.watch(config, interval or config.poll_seconds, stop, lang=lang())
        done("Watch stopped.")
        return
    from projections.as_of import AsOfError

    request = _as_of(as_of) if as_of else None
    with refusals():
        try:
            result = refreshing.refresh(config, as_of=request, output=output, progress=True)
        except AsOfError as error:
            raise fail(error) from None
    typer.echo(refreshing.report_line(result, lang()))


def _stop_watching(stop: threading.Event) -> None:
    """First signal: finish cleanly at the next step. Second: stop now.

    A step can block for minutes when the event store is unreachable (the database driver
    waits and retries), so a second Ctrl-C or SIGTERM interrupts it. Stopping at any moment is
    safe: each projected page commits with its position, and nothing half-built is published.
    """
    if stop.is_set():
        raise KeyboardInterrupt
    stop.set()
    typer.echo(
        messages.render("Stopping after the current step (Ctrl-C again stops at once).", lang()),
        err=True,
    )


def rebuild() -> None:
    """Drop the projection and replay every event from the first, then publish.

    Example: monev rebuild
    """
    from apps import refresh as refreshing

    with refusals():
        result = refreshing.rebuild(settings(), progress=True)
    typer.echo(refreshing.report_line(result, lang()))


def dashboard(
    host: Annotated[
        str | None,
        typer.Option(help="Address to listen on (default MONEV_DASHBOARD_HOST, 127.0.0.1)."),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            min=1, max=65535, help="Port to listen on (default MONEV_DASHBOARD_PORT, 8501)."
        ),
    ] = None,
) -> None:
    """Serve the dashboard (on http://127.0.0.1:8501 unless configured otherwise).

    Example: monev dashboard --port 8600   |   monev dashboard --host 0.0.0.0 (all interfaces)
    """
    from dataclasses import replace

    from apps.dashboard_server import serve

    config = settings()
    if host is not None:
        config = replace(config, dashboard_host=host)
    if port is not None:
        config = replace(config, dashboard_port=port)
    serve(config)


def register(app: typer.Typer) -> None:
    from apps.cli.verify import verify

    app.command("refresh")(refresh)
    app.command("verify")(verify)
    app.command("rebuild")(rebuild)
    app.command("dashboard")(dashboard)
