"""`monev verify`: prove the event store still holds the history a report was built from.

Thin like every command: parse, call ``projections.fingerprint.verify_store`` with a progress
bar on stderr (rich), print one line. Exit code 0 when the history is intact, 1 when it
differs, naming the first position that changed, went missing, was added or reordered.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated

import typer

from apps import messages
from apps.cli.context import done, fail, lang, settings

_HEX = re.compile(r"[0-9a-fA-F]{64}")


def verify(
    fingerprint: Annotated[
        str | None,
        typer.Option(
            help="The full fingerprint (64 hex digits) a report printed; with --position."
        ),
    ] = None,
    position: Annotated[
        int | None, typer.Option(help="The position the report's fingerprint was taken at.")
    ] = None,
    warehouse: Annotated[
        Path | None,
        typer.Option(
            help="Warehouse whose recorded chain is the reference "
            "(default: MONEV_HOME/warehouse.duckdb, or the as-of build holding --fingerprint)."
        ),
    ] = None,
) -> None:
    """Recompute the event store's hash chain and compare it with a recorded history.

    Without options: against the published warehouse's fingerprint. With --fingerprint and
    --position: against a report's, also after more events were recorded. Exit code 0 when
    intact, 1 when the store differs (naming the first position that changed).

    Example: monev verify   |   monev verify --fingerprint 3fa2…c9 --position 1234
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from eventstore.bootstrap import build_application
    from projections import fingerprint as fingerprinting
    from projections.refresh import open_store

    if (fingerprint is None) != (position is None):
        raise fail("give --fingerprint and --position together (both are printed on a report).")
    if fingerprint is not None and not _HEX.fullmatch(fingerprint):
        raise fail("--fingerprint must be the full 64 hex digits, not the short form.")
    if position is not None and position < 0:
        raise fail("--position cannot be negative.")
    config = settings()
    witness = warehouse or _witness(config.home, fingerprint, position)
    app = build_application(config)
    try:
        total = app.recorder.max_notification_id() or 0
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as progress:
            task = progress.add_task("Verifying", total=total * (2 if fingerprint else 1))
            verdict = fingerprinting.verify_store(
                app.recorder,
                witness=witness,
                fingerprint=fingerprint,
                position=position,
                on_page=lambda count: progress.advance(task, count),
                factory=functools.partial(open_store, config),
            )
    finally:
        app.close()
    chain = verdict.chain
    now = {"fingerprint": chain.hex, "position": chain.position, "events": chain.count}
    if verdict.intact and verdict.expected is None:
        done(
            "verify: no recorded history to compare with (no published warehouse); fingerprint "
            "{fingerprint} at position {position} ({events} events).",
            **now,
        )
        return
    if verdict.intact:
        done(
            "verify: intact. The store holds exactly the recorded history up to position "
            "{checked} ({source}); now fingerprint {fingerprint} at position {position} "
            "({events} events).",
            checked=verdict.checked_upto,
            source=fingerprint or witness,
            **now,
        )
        return
    expected = {"expected": verdict.expected, "checked": verdict.checked_upto}
    if verdict.difference is None:
        say(
            "verify: DIFFERS. Expected {expected} at position {checked}; the store gives "
            "{fingerprint} at position {position}. No warehouse here records that history event "
            "by event, so the first changed position cannot be named.",
            **expected,
            **now,
        )
    else:
        difference = verdict.difference
        say(
            "verify: DIFFERS from position {first} ({kind}): {detail}. Expected {expected} at "
            "position {checked}; the store gives {fingerprint} at position {position}.",
            first=difference.position,
            kind=difference.kind,
            detail=difference.detail,
            **expected,
            **now,
        )
    raise typer.Exit(code=1)


def say(message: str, **params: object) -> None:
    """A line on stderr, in the user's language."""
    typer.echo(messages.render(message, lang(), **params), err=True)


def _witness(home: Path, fingerprint: str | None, position: int | None) -> Path:
    """The published warehouse, or for a report's fingerprint the build that recorded it."""
    from projections.fingerprint import head_in

    live = home / "warehouse.duckdb"
    if fingerprint is None or position is None:
        return live
    for path in [live, *sorted(home.glob("warehouse-asof-*.duckdb"))]:
        if head_in(path, position) == fingerprint.lower():
            return path
    return live
