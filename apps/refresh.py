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

from apps.messages import render
from eventstore.settings import Settings
from projections import refresh as pipeline
from projections.as_of import AsOf
from projections.dbt_build import DEFAULT_PROJECT_DIR, DbtWorker
from projections.refresh import Refresher, RefreshResult


def report_line(result: RefreshResult, lang: str | None = None) -> str:
    """The one line each refresh writes (to the terminal, or a watcher's log), in the user's
    language (``MONEV_LANG``; Indonesian first, like every other line monev writes)."""
    moment = result.data_as_of.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    where = [render("position {position}", lang, position=result.position)]
    if result.fingerprint:
        where.append(render("fingerprint {fingerprint}", lang, fingerprint=result.fingerprint))
    where.append(render("data as of {moment}", lang, moment=moment))
    if result.as_of:
        cutoff = result.as_of_cutoff or result.as_of.isoformat()
        where.append(render("as of {cutoff}", lang, cutoff=cutoff))
    stands = f"({', '.join(where)})"
    projected = render(
        "refresh: {events} events projected in {seconds} s",
        lang,
        events=result.events,
        seconds=round(result.projection_seconds, 2),
    )
    published = str(result.published)
    if result.unchanged:
        unchanged = render("nothing new: {path} left as it was", lang, path=published)
        return f"{projected}, {unchanged} {stands}"
    built = _built(result.builder, round(result.dbt_seconds, 2), lang)
    if result.incremental_from is not None:
        built += " " + render("(on position {position})", lang, position=result.incremental_from)
    return f"{projected}, {built}, {render('published {path}', lang, path=published)} {stands}"


def _built(builder: str, seconds: float, lang: str | None) -> str:
    """How the marts were built (``RefreshResult.builder``), as the line says it."""
    if builder == "plan":
        return render("built from the build plan in {seconds} s", lang, seconds=seconds)
    if builder == "new plan":
        return render(
            "dbt built a new build plan, and the marts from it, in {seconds} s",
            lang,
            seconds=seconds,
        )
    return render("dbt build {seconds} s", lang, seconds=seconds)


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
    lang: str | None = None,
) -> None:
    """``projections.refresh.watch`` saying one line per refresh and per failure, in ``lang``
    (``--lang``; else ``MONEV_LANG``, else Indonesian)."""
    say = report or _print_line
    pipeline.watch(
        settings,
        interval,
        stop_event,
        on_start=lambda: say(
            render(
                "Watching the {store} event store; Ctrl-C stops.", lang, store=settings.event_store
            )
        ),
        on_refresh=lambda result: say(report_line(result, lang)),
        on_failure=lambda failures, error: say(
            render(
                "refresh failed ({failures}): {error}", lang, failures=failures, error=str(error)
            )
        ),
        dbt_project_dir=dbt_project_dir,
        dbt=dbt,
    )
