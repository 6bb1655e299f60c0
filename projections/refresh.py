"""One refresh, top to bottom: project the events, build the marts, publish the warehouse.

``Refresher.refresh`` is the whole pipeline, in the order it runs:

1. **take turns**: refreshes of one data directory hold a file lock, so a published stamp's
   data-as-of never goes backwards, and a crashed refresh's candidate is deleted;
2. **project**: catch the projection's own file ($MONEV_HOME/build/projection-build.duckdb) up
   with the event store (``projector.catch_up``);
3. **choose the base**: the published warehouse, when it is a live build of the same
   projection, event store and dbt project (``publish.base_refusal``), else nothing. A base
   already at the projection's position means nothing is new: the refresh ends there and
   publishes nothing;
4. **make the candidate** beside the target: a copy of the base with the projection's events
   after its stamp appended (dbt then builds only what those events feed), or a copy of the
   projection's file (dbt builds everything: the first refresh, ``rebuild``, a replay,
   ``--as-of``, a changed dbt project, a file from older code). The log says which, and why;
5. **stamp** the candidate (``main.warehouse_meta``: what is in it and where it came from);
6. **build** it from the project's build plan (``build_plan``, run by ``plan_execution``): the
   SQL dbt compiled for this project, run in DuckDB in one transaction, the data tests
   included, without importing dbt. The first refresh of a project version has dbt make the
   plan (a real ``dbt build`` of an empty template, in the warm worker ``dbt_build.DbtWorker``,
   started only then); an ``--as-of`` build, or a project a plan cannot hold, is built by
   ``dbt build`` itself;
7. **publish**: seal the stamp, rename the candidate over the target. Readers only ever open
   the published file, read-only, so they never wait for or see a refresh half-way. Any
   failure or stop before the rename discards the candidate and publishes nothing.

``watch`` repeats it whenever the store has new events. The entry points (``apps.refresh``,
``apps.cli.warehouse``) only parse options, handle signals and print the report line.
"""

from __future__ import annotations

import functools
import logging
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from domain.application import Monev
from domain.events import all_event_classes
from eventstore.bootstrap import build_application
from eventstore.settings import Settings
from projections import as_of as cutoffs
from projections import build_plan as plans
from projections import fingerprint as fingerprinting
from projections import plan_execution
from projections import publish as publishing
from projections.database import (
    ProjectionIdentity,
    has_write_ahead_log,
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
from projections.projector import CatchUp, CatchUpStoppedError, catch_up
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


def plan_roots(project_dir: Path, settings: Settings) -> list[Path]:
    """Where build plans are kept: beside the project (git-ignored target/), shared by every
    data directory, else in the data directory when the project's is read-only."""
    return [project_dir / "target" / "monev-plans", dbt_state_dir(settings) / "plans"]


def as_of_request(as_of: datetime | cutoffs.AsOf) -> cutoffs.AsOf:
    """A bare datetime (older callers) is a time cut-off."""
    if isinstance(as_of, cutoffs.AsOf):
        return as_of
    return cutoffs.AsOf("time", as_of.isoformat(), moment=as_of)


def open_store(settings: Settings) -> Monev:
    """The store for reading only (projection workers): no guard installation, no writes.

    Nor the library's ``CREATE TABLE IF NOT EXISTS``: the refresh opened the store before its
    workers start, and on PostgreSQL two workers creating the same table at once can fail
    ("tuple concurrently updated") even when it exists.
    """
    return Monev(env={**settings.application_env(), "CREATE_TABLE": "n"})


class RefreshStoppedError(RuntimeError):
    """The refresh was asked to stop; what was projected stays, nothing was published."""


@dataclass(frozen=True)
class RefreshResult:
    """What one refresh did (``apps.refresh.report_line`` turns it into the log line)."""

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
    # True when the published file already held every event: nothing was built or published.
    unchanged: bool = False
    # The event store's hash chain at ``position`` (projections.fingerprint), hex.
    fingerprint: str | None = None
    # An as-of build's cut-off as asked (rakor:2017-Q2, position:N, a time).
    as_of_cutoff: str | None = None
    # What built the marts: "plan" (the project's build plan), "new plan" (dbt made the plan
    # first), "dbt" (dbt build itself), or None when nothing was built.
    builder: str | None = None


@dataclass(frozen=True)
class _Candidate:
    """The file being built, the published stamp it was copied from (None: a copy of the
    projection, dbt builds everything) and the event tables that received rows."""

    path: Path
    base: publishing.Stamp | None
    changed: list[str]

    @property
    def incremental_from(self) -> int | None:
        """The position of the base's last event: what its dbt tables already include."""
        return None if self.base is None else self.base.last_position

    def selection(self) -> tuple[str, ...] | None:
        """dbt selectors for this build: None for everything."""
        return None if self.base is None else downstream_of(self.changed)


class Refresher:
    """What successive refreshes share: the open store, and dbt's worker once one is needed."""

    def __init__(
        self,
        settings: Settings,
        *,
        progress: bool = False,
        dbt_project_dir: Path = DEFAULT_PROJECT_DIR,
        dbt: DbtWorker | None = None,
        plans: bool = True,
    ) -> None:
        self.settings = settings
        self.progress = progress
        # False: every build is dbt's own (the tests compare the two ways).
        self.plans = plans
        self.dbt_project_dir = (dbt.project_dir if dbt is not None else dbt_project_dir).resolve()
        # Started on first need (no build plan yet, an as-of build): importing and parsing dbt
        # costs seconds a refresh from a plan does without.
        self._owns_dbt = dbt is None
        self._dbt = dbt
        self.app = build_application(settings)

    @property
    def dbt(self) -> DbtWorker:
        """The warm dbt worker, started now if no build needed it yet."""
        if self._dbt is None:
            self._dbt = DbtWorker(self.dbt_project_dir)
        return self._dbt

    @property
    def dbt_pid(self) -> int | None:
        """The dbt worker's process id, if one runs (benchmarks read its CPU time)."""
        return None if self._dbt is None else self._dbt.pid

    # -- the pipeline ------------------------------------------------------------------------

    def refresh(
        self,
        *,
        as_of: datetime | cutoffs.AsOf | None = None,
        output: Path | None = None,
        replay: bool = False,
        should_stop: StopCheck | None = None,
    ) -> RefreshResult:
        """Projects, builds and publishes ``output`` (default: the live warehouse, or with
        ``as_of`` a separate file); with ``replay`` the projection starts from the first event."""
        settings = self.settings
        with refresh_lock(
            lock_path(settings),
            on_wait=lambda: logger.warning("Another refresh is running; waiting for it."),
            should_stop=should_stop,
        ):
            # 1. Take turns; clear what a crashed refresh left.
            publishing.remove_stale_candidates(settings.warehouse_path.resolve())

            # 2. Project.
            caught_up = self._project(replay, should_stop)
            identity = read_identity(build_path(settings))
            started = time.perf_counter()

            # An as-of cut-off (rakor:2017-Q2, position:N, a time) is resolved to a position
            # in the caught-up projection, which also names the file (projections.as_of).
            cutoff = (
                None
                if as_of is None
                else cutoffs.resolve(as_of_request(as_of), build_path(settings))
            )
            moment = None if cutoff is None else cutoff.moment
            target = (
                output
                or (
                    settings.warehouse_path
                    if cutoff is None
                    else cutoffs.path_for(settings.home, cutoff)
                )
            ).resolve()
            publishing.remove_stale_candidates(target)

            # 3. Choose the base: the published warehouse, or a build from scratch (and why).
            digest = project_digest(self.dbt_project_dir, as_of_variables(moment))
            rebuilt = "rebuild" if replay else caught_up.replayed_because
            base = self._base(target, moment, rebuilt, identity, digest)
            if base is not None and base.last_position == identity.position:
                logger.info("Nothing new since position %s: nothing published.", base.last_position)
                return self._report(
                    caught_up,
                    target,
                    base,
                    cutoff,
                    started,
                    dbt_seconds=0.0,
                    unchanged=True,
                    fingerprint=fingerprinting.read_fingerprint(target),
                )

            # 4. Make the candidate.
            candidate = self._candidate(target, base)
            try:
                if cutoff is not None:
                    cutoffs.keep_upto(candidate.path, cutoff.position)

                # The hash chain the projection kept, if the candidate is a copy of it.
                fingerprinting.take_projected(candidate.path)

                # 5. Stamp: everything the warehouse says about itself is written here.
                head_read_at = caught_up.head_read_at
                publishing.finish(
                    candidate.path,
                    data_as_of=head_read_at if moment is None else min(moment, head_read_at),
                    as_of=moment,
                    store=settings.event_store,
                    incremental_from=candidate.incremental_from,
                    projection_id=identity.projection_id,
                    dbt_digest=digest,
                )
                # The event store's hash chain, carried from the published warehouse: only
                # the events after its head are read and hashed (projections.fingerprint),
                # beside the build (it reads only the store), and stamped after it.
                pending = fingerprinting.prepare(
                    candidate.path,
                    carry_from=None if rebuilt else settings.warehouse_path,
                    projection_id=identity.projection_id,
                )
                with ThreadPoolExecutor(1, thread_name_prefix="monev-fingerprint") as hashing:
                    stop_hashing = threading.Event()
                    extension = hashing.submit(
                        fingerprinting.extend_pending,
                        self.app.recorder,
                        pending,
                        stop_hashing.is_set,
                    )
                    try:
                        # 6. Build: everything, what the new events feed, or (no new rows)
                        # nothing.
                        before_dbt = time.perf_counter()
                        builder = None
                        if candidate.base is None or candidate.changed:
                            builder = self._build(candidate, moment, digest, should_stop)
                        dbt_seconds = time.perf_counter() - before_dbt
                    except BaseException:
                        stop_hashing.set()
                        raise
                    chain = fingerprinting.write(
                        candidate.path,
                        pending,
                        extension.result(),
                        as_of_label=None if cutoff is None else cutoff.request.label,
                    )
                if should_stop is not None and should_stop():
                    raise RefreshStoppedError("Stopped before publishing.")

                # 7. Publish.
                stamp = publishing.seal(candidate.path)
                publishing.publish(candidate.path, target)
            except BaseException:
                publishing.discard(candidate.path)
                raise
        return self._report(
            caught_up,
            target,
            stamp,
            cutoff,
            started,
            dbt_seconds=dbt_seconds,
            unchanged=False,
            fingerprint=chain.hex,
            builder=builder,
        )

    # -- its steps -----------------------------------------------------------------------------

    def _project(self, replay: bool, should_stop: StopCheck | None) -> CatchUp:
        settings = self.settings
        if replay:
            remove_database(build_path(settings))
        with CatchUpProgress("rebuild" if replay else "refresh", enabled=self.progress) as bar:
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
        return caught_up

    def _build(
        self,
        candidate: _Candidate,
        moment: datetime | None,
        digest: str,
        should_stop: StopCheck | None,
    ) -> str:
        """The live warehouse from the project's build plan (dbt's compiled SQL, made by dbt
        on the first refresh that needs it); an as-of build, or a project a plan cannot hold,
        by ``dbt build`` in the warm worker. Returns which (``RefreshResult.builder``)."""
        # Separate parse state: as-of builds pass other vars, which forces a full re-parse,
        # and the live warehouse's next build should not pay.
        state_dir = dbt_state_dir(self.settings) / ("as-of" if moment else "live")
        if moment is None and self.plans:
            plan, made = self._plan(candidate.path, digest, state_dir, should_stop)
            if plan is not None:
                plan_execution.execute(
                    plan,
                    candidate.path,
                    changed=None if candidate.base is None else candidate.changed,
                    should_stop=should_stop,
                )
                return "new plan" if made else "plan"
        self.dbt.build(
            candidate.path,
            state_dir=state_dir,
            as_of=moment,
            select=candidate.selection(),
            should_stop=should_stop,
        )
        return "dbt"

    def _plan(
        self, candidate: Path, digest: str, state_dir: Path, should_stop: StopCheck | None
    ) -> tuple[plans.BuildPlan | None, bool]:
        """The build plan for this candidate, and whether it was made now (by dbt); None if
        the project has what a plan cannot hold (the log says what)."""
        key = plans.plan_key(digest, candidate)
        roots = plan_roots(self.dbt_project_dir, self.settings)
        found = plans.find(key, roots)
        if found is not None:
            return found, False
        logger.info("No build plan for this project yet: dbt builds one (%s).", key[:12])
        making = state_dir / "plan-making"
        shutil.rmtree(making, ignore_errors=True)
        template = making / candidate.name
        plans.make_template(candidate, template)
        try:
            nodes, sources = self.dbt.compile_plan(
                template, state_dir=state_dir, should_stop=should_stop
            )
        except plans.PlanError as error:
            logger.warning("dbt builds every refresh of this project: %s", error)
            return None, False
        made = plans.save(plans.complete(key, nodes, sources, template), making, roots)
        shutil.rmtree(making, ignore_errors=True)
        return made, True

    def _base(
        self,
        target: Path,
        as_of: datetime | None,
        rebuilt: str | None,
        identity: ProjectionIdentity,
        digest: str,
    ) -> publishing.Stamp | None:
        """The stamp of the published ``target`` if the next build may start from a copy of
        it; else None, and the log says why everything is built from the projection."""
        refusal: str | None
        stamp: publishing.Stamp | None = None
        if as_of is not None:
            refusal = "an as-of build starts from the projection"
        elif rebuilt is not None:
            refusal = f"the projection was replayed ({rebuilt})"
        elif has_write_ahead_log(target):
            refusal = "the published warehouse has a write-ahead log (was it opened for writing?)"
        else:
            try:
                stamp = publishing.read_stamp(target)
            except duckdb.Error as error:
                refusal = f"the published warehouse cannot be read ({error})"
            else:
                refusal = publishing.base_refusal(
                    stamp,
                    store=self.settings.event_store,
                    projection_id=identity.projection_id,
                    position=identity.position,
                    dbt_digest=digest,
                )
        if refusal is not None:
            logger.info("Full dbt build of %s: %s.", target.name, refusal)
            return None
        return stamp

    def _candidate(self, target: Path, base: publishing.Stamp | None) -> _Candidate:
        """A copy of the base with the projection's later events appended, or of the
        projection's file when there is no base or the base's event tables do not match."""
        build = build_path(self.settings)
        if base is None:
            return _Candidate(publishing.copy_build(build, target), None, [])
        path = publishing.copy_published(target, target)
        try:
            changed = publishing.append_events(path, build, base.last_position)
        except publishing.BaseMismatchError as error:
            publishing.discard(path)
            logger.info("Full dbt build of %s: %s", target.name, error)
            return _Candidate(publishing.copy_build(build, target), None, [])
        except BaseException:
            publishing.discard(path)
            raise
        logger.info(
            "Building on the published %s at position %s: %s.",
            target.name,
            f"{base.last_position:,}",
            "new events in " + ", ".join(changed) if changed else "no new rows, no dbt build",
        )
        return _Candidate(path, base, changed)

    def _report(
        self,
        caught_up: CatchUp,
        target: Path,
        stamp: publishing.Stamp,
        cutoff: cutoffs.Cutoff | None,
        started: float,
        *,
        dbt_seconds: float,
        unchanged: bool,
        fingerprint: str | None,
        builder: str | None = None,
    ) -> RefreshResult:
        return RefreshResult(
            events=caught_up.events,
            projection_seconds=caught_up.seconds,
            dbt_seconds=dbt_seconds,
            publish_seconds=time.perf_counter() - started - dbt_seconds,
            published=target,
            position=stamp.last_position,
            data_as_of=stamp.data_as_of,
            as_of=None if cutoff is None else cutoff.moment,
            replayed_because=caught_up.replayed_because,
            incremental_from=None if unchanged else stamp.incremental_from,
            unchanged=unchanged,
            fingerprint=fingerprint,
            as_of_cutoff=None if cutoff is None else cutoff.request.label,
            builder=builder,
        )

    def close(self) -> None:
        self.app.close()
        if self._owns_dbt and self._dbt is not None:
            self._dbt.close()

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


# -- watching --------------------------------------------------------------------------------


def watch(
    settings: Settings,
    interval: float,
    stop_event: threading.Event,
    *,
    on_start: Callable[[], None],
    on_refresh: Callable[[RefreshResult], None],
    on_failure: Callable[[int, Exception], None],
    dbt_project_dir: Path = DEFAULT_PROJECT_DIR,
    dbt: DbtWorker | None = None,
) -> None:
    """Refreshes whenever the store has new events, until ``stop_event`` is set.

    Polls the store's head every ``interval`` seconds (SQLite cannot push); with PostgreSQL a
    NOTIFY wakes it at once. Stopping mid-refresh ends dbt, discards the candidate and
    publishes nothing; pages already projected stay (the next refresh resumes after them).
    A failed refresh is reported and retried, waiting longer after each failure.
    """
    refresher = Refresher(settings, dbt_project_dir=dbt_project_dir, dbt=dbt)
    with refresher, waker_for(refresher.app.recorder, stop_event) as waker:
        stamp = publishing.read_stamp(settings.warehouse_path)
        published = None if stamp is None else stamp.last_position
        failures = 0
        on_start()
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
                on_failure(failures, error)
                waker.wait(interval * 2 ** min(failures, 5))
            else:
                failures = 0
                published = result.position
                on_refresh(result)
                waker.wait(interval)
