"""`monev refresh`, `monev refresh --watch`, `monev rebuild`: catch up, dbt build, publish.

One refresh: (1) catch the projection's own file ($MONEV_HOME/build/projection-build.duckdb) up with
the event store, (2) make a candidate beside the published file, (3) stamp the candidate and run
``dbt build`` on it, (4) rename it over $MONEV_HOME/warehouse.duckdb. Readers only ever open the
published file, read-only, so they never wait for or see a refresh half-way.

The candidate of a live refresh is a copy of the published warehouse when that file is a live
build of the same projection, event store and dbt project (``publishing.base_refusal``): the
projection's events after its stamp are appended, and dbt builds only the nodes downstream of
the event tables that received rows (none: no dbt at all), so a refresh costs what the new
events touch rather than a rebuild of every model from every event. Otherwise (the first
refresh, ``rebuild``, a replay, ``--as-of``, a changed dbt project, a published file from older
code) the candidate is a copy of the projection's file and dbt builds everything. The stamp's
``incremental_from`` says which happened, and the log says why.

Refreshes of one data directory take turns (a file lock), so a published stamp's data-as-of
never goes backwards.
"""

from __future__ import annotations

import functools
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from domain.application import Monev
from domain.events import all_event_classes
from eventstore.bootstrap import build_application
from eventstore.settings import Settings
from projections import as_of as cutoffs
from projections import fingerprint as fingerprinting
from projections import publish as publishing
from projections.database import (
    ProjectionIdentity,
    database_files,
    read_identity,
    remove_database,
)
from projections.dbt_build import (
    DEFAULT_PROJECT_DIR,
    DbtStoppedError,
    DbtWorker,
    as_of_variables,
    project_digest,
)
from projections.lock import refresh_lock
from projections.progress import CatchUpProgress
from projections.projector import CatchUpStoppedError, catch_up
from projections.schema import EVENTS_SCHEMA
from projections.source import head_position
from projections.wakeup import waker_for

logger = logging.getLogger("monev.refresh")

StopCheck = Callable[[], bool]


def build_path(settings: Settings) -> Path:
    """The projection's own file, updated in place by every refresh; never read by readers."""
    return settings.home / "build" / "projection-build.duckdb"


def lock_path(settings: Settings) -> Path:
    return settings.home / "build" / "refresh.lock"


def dbt_state_dir(settings: Settings) -> Path:
    return settings.home / "build" / "dbt"


def as_of_request(as_of: datetime | cutoffs.AsOf) -> cutoffs.AsOf:
    """A bare datetime (older callers) is a time cut-off."""
    if isinstance(as_of, cutoffs.AsOf):
        return as_of
    return cutoffs.AsOf("time", as_of.isoformat(), moment=as_of)


def open_store(settings: Settings) -> Monev:
    """The store for reading only (projection workers): no guard installation, no writes."""
    return Monev(env=settings.application_env())


class RefreshStoppedError(RuntimeError):
    """The refresh was asked to stop; what was projected stays, nothing was published."""


@dataclass(frozen=True)
class RefreshResult:
    """What one refresh did; ``str()`` is the one log line each refresh writes."""

    events: int
    projection_seconds: float
    dbt_seconds: float
    publish_seconds: float
    published: Path
    position: int
    data_as_of: datetime
    as_of: datetime | None = None
    replayed_because: str | None = None
    # The published position the candidate was built on; None for a build from scratch.
    incremental_from: int | None = None
    # The event store's hash chain at ``position`` (projections.fingerprint), hex.
    fingerprint: str | None = None
    as_of_cutoff: str | None = None

    def __str__(self) -> str:
        moment = self.data_as_of.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        cut = f", as of {self.as_of_cutoff or self.as_of.isoformat()}" if self.as_of else ""
        base = "" if self.incremental_from is None else f" (on position {self.incremental_from:,})"
        chain = f", fingerprint {self.fingerprint}" if self.fingerprint else ""
        return (
            f"refresh: {self.events:,} events projected in {self.projection_seconds:.2f} s, "
            f"dbt build {self.dbt_seconds:.2f} s{base}, published {self.published} "
            f"(position {self.position:,}{chain}, data as of {moment}{cut})"
        )


class Refresher:
    """What successive refreshes share: the open store and a warm dbt worker."""

    def __init__(
        self,
        settings: Settings,
        *,
        progress: bool = False,
        dbt_project_dir: Path = DEFAULT_PROJECT_DIR,
        dbt: DbtWorker | None = None,
    ) -> None:
        self.settings = settings
        self.progress = progress
        # Started first: dbt's import (seconds) overlaps with opening the store and projecting.
        self._owns_dbt = dbt is None
        self.dbt = dbt or DbtWorker(dbt_project_dir)
        try:
            self.app = build_application(settings)
        except BaseException:
            if self._owns_dbt:
                self.dbt.close()
            raise

    def refresh(
        self,
        *,
        as_of: datetime | cutoffs.AsOf | None = None,
        output: Path | None = None,
        replay: bool = False,
        should_stop: StopCheck | None = None,
    ) -> RefreshResult:
        settings = self.settings
        with refresh_lock(
            lock_path(settings),
            on_wait=lambda: logger.warning("Another refresh is running; waiting for it."),
            should_stop=should_stop,
        ):
            publishing.remove_stale_candidates(settings.warehouse_path.resolve())
            if replay:
                remove_database(build_path(settings))
            label = "rebuild" if replay else "refresh"
            with CatchUpProgress(label, enabled=self.progress) as bar:
                caught_up = catch_up(
                    self.app,
                    build_path(settings),
                    event_classes=all_event_classes(),
                    factory=functools.partial(open_store, settings),
                    on_page=bar,
                    should_stop=should_stop,
                )
            if caught_up.replayed_because:
                logger.warning("Projection replayed: %s", caught_up.replayed_because)
            rebuilt = "rebuild" if replay else caught_up.replayed_because
            # An as-of cut-off is resolved to a position in the caught-up projection, which
            # also names the file: two as-of builds never overwrite each other.
            cutoff = (
                None
                if as_of is None
                else cutoffs.resolve(as_of_request(as_of), build_path(settings))
            )
            target = (
                output
                or (
                    settings.warehouse_path
                    if cutoff is None
                    else cutoffs.path_for(settings.home, cutoff)
                )
            ).resolve()
            publishing.remove_stale_candidates(target)
            dbt_seconds, publish_seconds, stamp, chain = self._publish(
                target, caught_up.head_read_at, cutoff, rebuilt, should_stop
            )
        result = RefreshResult(
            events=caught_up.events,
            projection_seconds=caught_up.seconds,
            dbt_seconds=dbt_seconds,
            publish_seconds=publish_seconds,
            published=target,
            position=stamp.last_position,
            data_as_of=stamp.data_as_of,
            as_of=None if cutoff is None else cutoff.moment,
            replayed_because=caught_up.replayed_because,
            incremental_from=stamp.incremental_from,
            fingerprint=chain.hex,
            as_of_cutoff=None if cutoff is None else cutoff.request.label,
        )
        logger.info("%s", result)
        return result

    def _publish(
        self,
        target: Path,
        head_read_at: datetime,
        cutoff: cutoffs.Cutoff | None,
        rebuilt: str | None,
        should_stop: StopCheck | None,
    ) -> tuple[float, float, publishing.Stamp, fingerprinting.Chain]:
        started = time.perf_counter()
        as_of = None if cutoff is None else cutoff.moment
        identity = read_identity(build_path(self.settings))
        digest = project_digest(self.dbt.project_dir, as_of_variables(as_of))
        candidate, base, changed = self._candidate(target, as_of, rebuilt, identity, digest)
        try:
            if cutoff is not None:
                cutoffs.keep_upto(candidate, cutoff.position)
            data_as_of = head_read_at if as_of is None else min(as_of, head_read_at)
            stamp = publishing.finish(
                candidate,
                data_as_of=data_as_of,
                as_of=as_of,
                store=self.settings.event_store,
                incremental_from=None if base is None else base.last_position,
                projection_id=identity.projection_id,
                dbt_digest=digest,
            )
            # The hash chain, carried from the published warehouse (never re-hashing the store).
            chain = fingerprinting.stamp(
                candidate,
                self.app.recorder,
                carry_from=None if rebuilt else self.settings.warehouse_path,
                projection_id=identity.projection_id,
                as_of_label=None if cutoff is None else cutoff.request.label,
            )
            before_dbt = time.perf_counter()
            if changed is None or changed:
                self.dbt.build(
                    candidate,
                    # Separate parse state: as-of builds pass other vars, which forces a full
                    # re-parse, and the live warehouse's next build should not pay for it.
                    state_dir=dbt_state_dir(self.settings) / ("as-of" if as_of else "live"),
                    as_of=as_of,
                    select=None if changed is None else downstream_of(changed),
                    should_stop=should_stop,
                )
            after_dbt = time.perf_counter()
            if should_stop is not None and should_stop():
                raise RefreshStoppedError("Stopped before publishing.")
            stamp = publishing.seal(candidate)
            publishing.publish(candidate, target)
        except BaseException:
            publishing.discard(candidate)
            raise
        dbt_seconds = after_dbt - before_dbt
        return dbt_seconds, time.perf_counter() - started - dbt_seconds, stamp, chain

    def _candidate(
        self,
        target: Path,
        as_of: datetime | None,
        rebuilt: str | None,
        identity: ProjectionIdentity,
        digest: str,
    ) -> tuple[Path, publishing.Stamp | None, list[str] | None]:
        """The candidate, the published stamp it was copied from (None: from the projection),
        and the event tables that received rows (None: build everything)."""
        build = build_path(self.settings)
        refusal = self._base_refusal(target, as_of, rebuilt, identity, digest)
        if isinstance(refusal, str):
            logger.info("Full dbt build of %s: %s.", target.name, refusal)
            return publishing.copy_build(build, target), None, None
        base = refusal
        candidate = publishing.copy_published(target, target)
        try:
            changed = publishing.append_events(candidate, build, base.last_position)
        except publishing.BaseMismatchError as error:
            publishing.discard(candidate)
            logger.info("Full dbt build of %s: %s", target.name, error)
            return publishing.copy_build(build, target), None, None
        except BaseException:
            publishing.discard(candidate)
            raise
        logger.info(
            "Building on the published %s at position %s: %s.",
            target.name,
            f"{base.last_position:,}",
            "new events in " + ", ".join(changed) if changed else "no new events, no dbt build",
        )
        return candidate, base, changed

    def _base_refusal(
        self,
        target: Path,
        as_of: datetime | None,
        rebuilt: str | None,
        identity: ProjectionIdentity,
        digest: str,
    ) -> str | publishing.Stamp:
        """Why the published ``target`` is no base for the next build, or else its stamp."""
        if as_of is not None:
            return "an as-of build starts from the projection"
        if rebuilt is not None:
            return f"the projection was replayed ({rebuilt})"
        if database_files(target)[1].exists():
            return "the published warehouse has a write-ahead log (was it opened for writing?)"
        try:
            stamp = publishing.read_stamp(target)
        except duckdb.Error as error:
            return f"the published warehouse cannot be read ({error})"
        refusal = publishing.base_refusal(
            stamp,
            store=self.settings.event_store,
            projection_id=identity.projection_id,
            position=identity.position,
            dbt_digest=digest,
        )
        if refusal is not None:
            return refusal
        assert stamp is not None
        return stamp

    def close(self) -> None:
        self.app.close()
        if self._owns_dbt:
            self.dbt.close()

    def __enter__(self) -> Refresher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def downstream_of(tables: list[str]) -> tuple[str, ...]:
    """dbt selectors for every node the new rows of these event tables can change.

    Each table is a dbt source of that name (models/staging/events/_events__sources.yml):
    its descendants, tests included, are what reads it. Everything else in the copied
    warehouse (seeds, models of other tables) has the same inputs and the same project.
    """
    return tuple(f"source:{EVENTS_SCHEMA}.{table}+" for table in sorted(tables))


def refresh(
    settings: Settings,
    *,
    as_of: datetime | cutoffs.AsOf | None = None,
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
    """Refreshes whenever the store has new events, until ``stop_event`` is set.

    Polls the store's head every ``interval`` seconds (SQLite cannot push); with PostgreSQL a
    NOTIFY wakes it at once. Stopping mid-refresh ends dbt, discards the candidate and
    publishes nothing; pages already projected stay (the next refresh resumes after them).
    A failed refresh is reported and retried, waiting longer after each failure.
    """
    say = report or _print_line
    refresher = Refresher(settings, dbt_project_dir=dbt_project_dir, dbt=dbt)
    with refresher, waker_for(refresher.app.recorder, stop_event) as waker:
        stamp = publishing.read_stamp(settings.warehouse_path)
        published = None if stamp is None else stamp.last_position
        failures = 0
        say(f"Watching the {settings.event_store} event store; Ctrl-C stops.")
        while not stop_event.is_set():
            try:
                # Inside the try: an unreachable store is a failure to report and retry, so
                # the daemon outlives a database restart.
                if published is not None and head_position(refresher.app) == published:
                    failures = 0
                    waker.wait(interval)
                    continue
                result = refresher.refresh(should_stop=stop_event.is_set)
            except (
                CatchUpStoppedError,
                DbtStoppedError,
                RefreshStoppedError,
                InterruptedError,
            ):
                break
            except Exception as error:  # a daemon reports and retries
                failures += 1
                logger.exception("Refresh failed")
                say(f"refresh failed ({failures}): {error}")
                waker.wait(interval * 2 ** min(failures, 5))
            else:
                failures = 0
                published = result.position
                say(str(result))
                waker.wait(interval)
