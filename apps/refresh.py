"""`monev refresh`, `monev refresh --watch`, `monev rebuild`: the entry points of the pipeline.

The pipeline itself (project, build, publish, with its stamp) is ``projections.refresh``; this
module only opens it for one command, says what each refresh did in one line, and runs the
watch loop with a reporter (the signals that stop it are handled in ``apps.cli.warehouse``).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from eventstore.settings import Settings
from projections import refresh as pipeline
from projections.as_of import AsOf
from projections.dbt_build import DEFAULT_PROJECT_DIR, DbtWorker
from projections.refresh import Refresher, RefreshResult


def report_line(result: RefreshResult) -> str:
    """The one line each refresh writes (to the terminal, or a watcher's log)."""
    moment = result.data_as_of.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    cut = f", as of {result.as_of_cutoff or result.as_of.isoformat()}" if result.as_of else ""
    chain = f", fingerprint {result.fingerprint}" if result.fingerprint else ""
    where = f"(position {result.position:,}{chain}, data as of {moment}{cut})"
    projected = f"refresh: {result.events:,} events projected in {result.projection_seconds:.2f} s"
    if result.unchanged:
        return f"{projected}, nothing new: {result.published} left as it was {where}"
    base = "" if result.incremental_from is None else f" (on position {result.incremental_from:,})"
    return (
        f"{projected}, {BUILT_BY.get(result.builder, 'built in')} {result.dbt_seconds:.2f} s"
        f"{base}, published {result.published} {where}"
    )


# How the marts were built (``RefreshResult.builder``), as the line says it.
BUILT_BY = {
    "plan": "built from the build plan in",
    "new plan": "dbt built a new build plan, and the marts from it, in",
    "dbt": "dbt build",
}


def refresh(
    settings: Settings,
    *,
    as_of: datetime | AsOf | None = None,
    output: Path | None = None,
    progress: bool = False,
    dbt_project_dir: Path = DEFAULT_PROJECT_DIR,
) -> RefreshResult:
    """Catches up, builds the marts and publishes; with ``as_of``, into a separate file."""
    with Refresher(settings, progress=progress, dbt_project_dir=dbt_project_dir) as refresher:
        return refresher.refresh(as_of=as_of, output=output)


def rebuild(
    settings: Settings, *, progress: bool = False, dbt_project_dir: Path = DEFAULT_PROJECT_DIR
) -> RefreshResult:
    """Drops the projection, replays every event from the first, then builds and publishes."""
    with Refresher(settings, progress=progress, dbt_project_dir=dbt_project_dir) as refresher:
        return refresher.refresh(replay=True)


def _print_line(line: str) -> None:
    print(line, file=sys.stdout, flush=True)


def watch(
    settings: Settings,
    interval: float,
    stop_event: threading.Event,
    *,
    report: Callable[[str], None] | None = None,
    dbt_project_dir: Path = DEFAULT_PROJECT_DIR,
    dbt: DbtWorker | None = None,
) -> None:
    """``projections.refresh.watch`` saying one line per refresh and per failure."""
    say = report or _print_line
    pipeline.watch(
        settings,
        interval,
        stop_event,
        on_start=lambda: say(f"Watching the {settings.event_store} event store; Ctrl-C stops."),
        on_refresh=lambda result: say(report_line(result)),
        on_failure=lambda failures, error: say(f"refresh failed ({failures}): {error}"),
        dbt_project_dir=dbt_project_dir,
        dbt=dbt,
    )
