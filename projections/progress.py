"""A progress bar for catch-up: events, events/s and time remaining.

The bar advances by positions (ids), which is what the remaining work is measured in, and
shows events, which is what users count; the two differ only by gaps in the ids.
"""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from projections.batch import Page


class _EventRate(ProgressColumn):
    def render(self, task: Task) -> Text:
        elapsed = time.monotonic() - float(task.fields.get("started", time.monotonic()))
        events = int(task.fields.get("events", 0))
        rate = events / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:,.0f} events/s", style="progress.data.speed")


class CatchUpProgress:
    """Call it with each committed page (the projector's ``on_page``).

    The bar appears with the first page, so a refresh with nothing to do prints nothing;
    events/s counts from entering the block, so the first page's time is included.
    """

    def __init__(self, description: str, *, enabled: bool = True, console: Console | None = None):
        # Progress is for a person watching: on stderr, and only when that is a terminal, so
        # stdout carries the result alone (`monev refresh > f` writes one line).
        console = console or Console(stderr=True)
        self._progress = Progress(
            TextColumn(f"[bold]{description}"),
            BarColumn(),
            TextColumn("{task.fields[events]:,} events"),
            _EventRate(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            disable=not (enabled and console.is_terminal),
            transient=False,
        )
        self._task: TaskID | None = None
        self._started = time.monotonic()

    def __call__(self, page: Page, target: int) -> None:
        if self._task is None:
            self._progress.start()
            self._task = self._progress.add_task(
                "catch-up", total=max(target - page.after, 1), events=0, started=self._started
            )
        task = self._progress.tasks[0]
        self._progress.update(
            self._task,
            advance=page.last_position - page.after,
            events=int(task.fields["events"]) + page.event_count,
        )

    def __enter__(self) -> CatchUpProgress:
        self._started = time.monotonic()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._task is not None:
            self._progress.stop()
