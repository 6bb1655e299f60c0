"""Runs ``dbt build`` on a candidate warehouse file, in a worker process that stays warm.

A live refresh runs the project's build plan (``projections.build_plan``) and needs dbt only
to make one: the worker builds the plan's empty template and compiles its incremental models
(``compile_plan``). ``--as-of`` builds, and projects a plan cannot hold, are built here in full.

Importing dbt takes seconds, longer than building the marts of a small store, so the worker
imports it once: started at the beginning of a refresh it loads while the projection runs,
and ``refresh --watch`` keeps it for every cycle. It is a separate process, not dbt in this
one, because dbt-duckdb keeps its connection to the file it built: in this process that would
keep the candidate open (and unflushed) at the moment it is renamed into place. After each
build the worker drops dbt-duckdb's connection, and the publisher's own open-for-writing of
the candidate would fail if any process still held it.

dbt runs with ``--project-dir`` and ``--profiles-dir`` both the project directory, telemetry
off, the data tests but not the dbt unit tests, and the database path in ``MONEV_DUCKDB_PATH``
(read by ``profiles.yml``): on the whole project, or with a selection (the nodes downstream of
the event tables that received rows, when the database is a copy of the published warehouse).
Its target and log directories live under the data directory, so refreshes of different data
directories never share dbt's partial-parse state.

A build of this project costs dbt's Python about 0.05 s a node whatever the data, so the
worker spends as little as it can around the nodes: it parses once and hands the parsed
manifest to every later build of a database of the same name and variables (parsing again
only when a project file changes), writes no JSON artifacts (failures come back in the reply),
and logs to its file only warnings and errors unless ``MONEV_DBT_LOG_LEVEL`` asks for more
(``debug`` records every statement, for a failure that needs it).

Parsing costs seconds too (about 4 s of CPU in full, 1.5 s from dbt's partial-parse state), so
the parse state is shared by every data directory: dbt opens the database by its file name,
relative to the worker's working directory (the candidate's directory), so the profile, on
which the parse state depends, is the same for every data directory's candidate. The last
parse state is kept under the project's target/monev-parse/ and copied into a data directory
that has none; dbt checks it (project files, variables, profile, dbt version) and parses in
full if anything it cannot vouch for changed.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from projections.build_plan import PlanError, PlanNode
from projections.children import exit_with_parent

DEFAULT_PROJECT_DIR = Path(__file__).resolve().parent.parent / "dbt_project"
QUIET_ENV = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "False", "DO_NOT_TRACK": "1"}
LOG_LEVEL_ENV = "MONEV_DBT_LOG_LEVEL"
DEFAULT_LOG_LEVEL = "warn"
# Tests of the fixed reference seeds check CSV files of the repository, not the store's data,
# like the unit tests: the test suite runs them (a full `dbt build`), a refresh leaves them out.
# Tests of the seeds a deployment may edit (seeds/_editable_seeds.yml) still run every time.
REFERENCE_SEED_TESTS = "path:seeds/_reference_seeds.yml,resource_type:test"


class DbtFailedError(RuntimeError):
    """dbt build did not succeed; the message lists what failed."""


class DbtStoppedError(RuntimeError):
    """Stopping was requested while dbt ran; the worker was ended and nothing is published."""


@dataclass(frozen=True)
class DbtOutcome:
    seconds: float
    nodes: int


@dataclass(frozen=True)
class _Request:
    database: str
    state_dir: str
    variables: dict[str, Any]
    select: tuple[str, ...] | None = None


@dataclass(frozen=True)
class _Reply:
    success: bool
    nodes: int
    problems: list[str]


@dataclass(frozen=True)
class _PlanRequest:
    """Build the empty template at ``database`` and compile its incremental models."""

    database: str
    state_dir: str


@dataclass(frozen=True)
class _PlanReply:
    success: bool
    problems: list[str]
    nodes: list[PlanNode]
    sources: dict[str, str]
    # False: dbt built the template, but the project has what a plan does not hold.
    plannable: bool = True


def _common_arguments(project_dir: Path, state_dir: Path, variables: dict[str, Any]) -> list[str]:
    arguments = [
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(state_dir / "target"),
        "--log-path",
        str(state_dir / "logs"),
        "--log-level-file",
        os.environ.get(LOG_LEVEL_ENV, DEFAULT_LOG_LEVEL),
        "--quiet",
    ]
    if variables:
        arguments += ["--vars", json.dumps(variables)]
    return arguments


def parse_arguments(project_dir: Path, state_dir: Path, variables: dict[str, Any]) -> list[str]:
    return ["parse", *_common_arguments(project_dir, state_dir, variables)]


def dbt_arguments(
    project_dir: Path,
    state_dir: Path,
    variables: dict[str, Any],
    select: tuple[str, ...] | None = None,
) -> list[str]:
    """``dbt build`` of the whole project, or with ``select`` only of those nodes.

    A selection such as ``source:events.rakor_held+`` takes the tests of every node it builds
    as descendants of the graph, whatever the indirect selection: checked with ``dbt ls`` on
    this project for each events source, cautious, eager and buildable select the same tests,
    every test of a rebuilt node among them. So both paths keep the same options below.
    """
    selection = [] if select is None else ["--select", *select]
    return [
        "build",
        *_common_arguments(project_dir, state_dir, variables),
        "--no-write-json",
        *selection,
        # The dbt unit tests check the SQL on hand-written rows, never the data: they pass or
        # fail the same on every store, so the test suite runs them (a full `dbt build` of the
        # demo) and a refresh leaves them out. They were a quarter of a 1M-event build.
        "--exclude-resource-type",
        "unit_test",
        "--exclude",
        REFERENCE_SEED_TESTS,
        # Only the tests defined in that file: not an editable seed's test that merely refers
        # to a reference seed (eager selection would leave those out too).
        "--indirect-selection",
        "cautious",
    ]


def compile_arguments(project_dir: Path, state_dir: Path, variables: dict[str, Any]) -> list[str]:
    """``dbt compile`` of the incremental models alone, on a database where they exist: the
    SQL of an incremental run (``is_incremental()`` is true there), for a build plan."""
    return [
        "compile",
        *_common_arguments(project_dir, state_dir, variables),
        "--no-write-json",
        "--select",
        "config.materialized:incremental",
        "--indirect-selection",
        "empty",
    ]


def project_fingerprint(project_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """What a parse depends on in the project's files (and the seeds it reads beside it)."""
    roots = [project_dir, project_dir.parent / "domain" / "reference"]
    skip = {"target", "logs", "dbt_packages", "__pycache__"}
    files: list[tuple[str, int, int]] = []
    for root in roots:
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = [name for name in subfolders if name not in skip]
            for name in names:
                stat = os.stat(os.path.join(folder, name))
                files.append((os.path.join(folder, name), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(files))


# What dbt writes into the project directory, not what it reads (and __pycache__ anywhere).
DIGEST_SKIP = frozenset({"target", "logs", "dbt_packages"})
DEMO_POPULATION_ENV = "MONEV_DEMO_POPULATION"


def project_digest(project_dir: Path, variables: dict[str, Any]) -> str:
    """A sha256 of everything a build's result depends on besides the data.

    Unlike ``project_fingerprint`` (modification times, for the worker's parse cache) this
    reads the bytes: a published warehouse is reused as the base of the next one only if its
    digest is the current one, so an edited model, macro, test or seed (also the reference
    seeds under domain/reference/), other variables, a changed ``MONEV_DEMO_POPULATION`` (read
    by macros/population.sql) or another dbt version all mean a build from scratch.
    """
    project_dir = project_dir.resolve()
    roots = [
        ("dbt_project", project_dir),
        ("reference", project_dir.parent / "domain" / "reference"),
    ]
    digest = hashlib.sha256()
    for label, root in roots:
        files: list[tuple[str, Path]] = []
        for folder, subfolders, names in os.walk(root):
            top = Path(folder) == root
            subfolders[:] = [
                name
                for name in subfolders
                if name != "__pycache__" and not (top and name in DIGEST_SKIP)
            ]
            for name in names:
                path = Path(folder) / name
                files.append((f"{label}/{path.relative_to(root).as_posix()}", path))
        for relative, path in sorted(files):
            content = path.read_bytes()
            digest.update(f"{relative}\0{len(content)}\0".encode())
            digest.update(content)
    settings = {
        "variables": variables,
        DEMO_POPULATION_ENV: os.environ.get(DEMO_POPULATION_ENV),
        "dbt-core": _version("dbt-core"),
        "dbt-duckdb": _version("dbt-duckdb"),
    }
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def as_of_variables(as_of: datetime | None) -> dict[str, Any]:
    return {} if as_of is None else {"as_of": as_of.isoformat()}


def shared_parse_dir(project_dir: Path, database_name: str, variables: dict[str, Any]) -> Path:
    """Where the last parse of this project for a database of this name and these variables
    is kept for every data directory (under the project's own, git-ignored, target/)."""
    key = hashlib.sha256(
        json.dumps([database_name, variables], sort_keys=True, default=str).encode()
    ).hexdigest()[:16]
    return project_dir / "target" / "monev-parse" / key


PARTIAL_PARSE_FILE = "partial_parse.msgpack"


def seed_parse_state(shared: Path, state_dir: Path) -> None:
    """Gives a data directory without dbt's parse state the last one of this project.

    dbt itself decides whether it is still valid (same project files, variables, profile and
    dbt version) and parses again in full if not; a copy keeps a refresh from reading a file
    another data directory's refresh is writing.
    """
    target = state_dir / "target" / PARTIAL_PARSE_FILE
    source = shared / PARTIAL_PARSE_FILE
    if target.exists() or not source.exists():
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    except OSError:
        return


def share_parse_state(state_dir: Path, shared: Path) -> None:
    """Offers this parse to the next data directory: written beside, then renamed."""
    source = state_dir / "target" / PARTIAL_PARSE_FILE
    try:
        shared.mkdir(parents=True, exist_ok=True)
        partial = shared / f"{PARTIAL_PARSE_FILE}.{os.getpid()}"
        shutil.copyfile(source, partial)
        os.replace(partial, shared / PARTIAL_PARSE_FILE)
    except OSError:  # a read-only project directory: every data directory parses on its own
        return


def _serve(connection: Connection, project_dir: str) -> None:
    """The worker's loop: one build per request until told to stop (None) or ended."""
    # The parent decides when this process ends; Ctrl-C in the terminal reaches it too.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent()
    _silence_stdout()
    os.environ.update(QUIET_ENV)
    from dbt.cli.main import dbtRunner

    project = Path(project_dir)
    # The manifest depends on the database's file name (dbt-duckdb names the catalog after
    # it), the variables and the project's files; one is kept per name and variables.
    manifests: dict[tuple[str, str], tuple[Any, Any]] = {}

    def manifest_for(request: _Request) -> tuple[Any, Any]:
        """The parsed project for this request, kept or parsed now; or else (None and) the
        failed parse's outcome, for the reply."""
        database = Path(request.database)
        key = (database.name, json.dumps(request.variables, sort_keys=True))
        fingerprint = project_fingerprint(project)
        cached = manifests.get(key)
        if cached is not None and cached[0] == fingerprint:
            return cached[1], None
        manifests.pop(key, None)
        state_dir = Path(request.state_dir)
        shared = shared_parse_dir(project, database.name, request.variables)
        seed_parse_state(shared, state_dir)
        parsed = dbtRunner().invoke(parse_arguments(project, state_dir, request.variables))
        if not parsed.success:
            return None, parsed
        share_parse_state(state_dir, shared)
        manifests[key] = (fingerprint, parsed.result)
        return parsed.result, None

    connection.send("ready")
    while True:
        request: _Request | _PlanRequest | None = connection.recv()
        if request is None:
            return
        # The profile reads the path from MONEV_DUCKDB_PATH. Given relative to the working
        # directory, it is the same for every data directory's candidate (its file name), so
        # dbt's parse state, which depends on the profile, is valid for all of them.
        database = Path(request.database)
        database.parent.mkdir(parents=True, exist_ok=True)
        os.chdir(database.parent)
        os.environ["MONEV_DUCKDB_PATH"] = database.name
        if isinstance(request, _PlanRequest):
            connection.send(_make_plan(request, project, manifest_for))
            continue
        try:
            manifest, failed = manifest_for(request)
            if failed is not None:
                reply = _reply(failed)
            else:
                # A copy for each build: dbt marks the nodes it compiles (ephemeral models'
                # CTEs as injected), and a manifest used again would then leave those CTEs out
                # of the next build's SQL. Parsing stays once per project change.
                outcome = dbtRunner(manifest=manifest.deepcopy()).invoke(
                    dbt_arguments(
                        project, Path(request.state_dir), request.variables, request.select
                    )
                )
                reply = _reply(outcome)
        except Exception as error:  # reported to the parent, which raises it
            reply = _Reply(False, 0, [f"dbt raised {type(error).__name__}: {error}"])
        finally:
            _release_database()
        connection.send(reply)


def _make_plan(
    request: _PlanRequest, project: Path, manifest_for: Callable[[Any], tuple[Any, Any]]
) -> _PlanReply:
    """``dbt build`` of the template (every node and test, as a refresh builds), then ``dbt
    compile`` of its incremental models, read into a plan's nodes (projections.plan_compiler)."""
    from dbt.cli.main import dbtRunner

    from projections.plan_compiler import plan_nodes

    state_dir = Path(request.state_dir)
    build_request = _Request(request.database, request.state_dir, {})
    try:
        manifest, failed = manifest_for(build_request)
        if failed is not None:
            reply = _reply(failed)
            return _PlanReply(False, reply.problems, [], {})
        built = dbtRunner(manifest=manifest.deepcopy()).invoke(
            dbt_arguments(project, state_dir, {})
        )
        if not built.success:
            return _PlanReply(False, _reply(built).problems, [], {})
        compiled = dbtRunner(manifest=manifest.deepcopy()).invoke(
            compile_arguments(project, state_dir, {})
        )
        if not compiled.success:
            return _PlanReply(False, _reply(compiled).problems, [], {})
        nodes, sources = plan_nodes(manifest, _results(built.result), _results(compiled.result))
        return _PlanReply(True, [], nodes, sources)
    except PlanError as error:  # dbt built it; only a plan cannot hold it
        return _PlanReply(False, [str(error)], [], {}, plannable=False)
    except Exception as error:  # reported to the parent, which raises it
        return _PlanReply(False, [f"dbt raised {type(error).__name__}: {error}"], [], {})
    finally:
        _release_database()


def _silence_stdout() -> None:
    """dbt's own output is in its log, and failures come back in the reply; what would reach
    the terminal is DuckDB's progress bar, drawn mid-line into the refresher's output."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


def _results(result: object) -> list[Any]:
    """The node results of a ``dbt build`` or ``dbt compile`` (a RunExecutionResult)."""
    return list(getattr(result, "results", None) or [])


def _reply(outcome: Any) -> _Reply:
    results = getattr(outcome.result, "results", None) or []
    problems = [
        f"{r.node.unique_id}: {r.status}: {r.message}"
        for r in results
        if str(r.status) in ("error", "fail", "runtime error")
    ]
    if outcome.exception is not None:
        problems.append(f"{type(outcome.exception).__name__}: {outcome.exception}")
    if not outcome.success and not problems:
        problems.append("dbt build failed; see the dbt log under the data directory.")
    return _Reply(bool(outcome.success), len(results), problems)


def _release_database() -> None:
    """dbt-duckdb keeps its database open between invocations; close it so it is flushed.

    Through the connection manager's public class methods: ``env()`` (which raises when no
    build has opened one yet) and ``close_all_connections()``, which forgets it.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # pragma: no cover - another adapter
        return
    try:
        environment = DuckDBConnectionManager.env()
    except Exception:  # no build opened the database: nothing to release
        environment = None
    DuckDBConnectionManager.close_all_connections()
    if environment is not None:
        environment.close()
    gc.collect()


class DbtWorker:
    """A warm dbt process. Use as a context manager; ``build`` may be called many times."""

    def __init__(self, project_dir: Path = DEFAULT_PROJECT_DIR) -> None:
        if not (project_dir / "dbt_project.yml").is_file():
            msg = f"No dbt project at {project_dir} (dbt_project.yml is missing)."
            raise DbtFailedError(msg)
        self.project_dir = project_dir.resolve()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None
        self._building = False
        self._used = False
        self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve,
            args=(child, str(self.project_dir)),
            name="monev-dbt",
            daemon=True,
        )
        process.start()
        child.close()
        self._process, self._connection = process, parent

    @property
    def pid(self) -> int | None:
        """The worker process's id while it runs (benchmarks read its CPU time)."""
        return self._process.pid if self._process is not None else None

    def build(
        self,
        database: Path,
        *,
        state_dir: Path,
        as_of: datetime | None = None,
        select: Sequence[str] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> DbtOutcome:
        """Builds every model, seed and test into ``database``; raises if anything failed.

        ``state_dir`` holds dbt's target and logs: one per data directory. ``select`` (dbt
        selectors) builds only those nodes and their tests, for a database that already holds
        every other node as a build of the same project made it.
        """
        if self._process is None or not self._process.is_alive():
            self._start()
        assert self._connection is not None
        state_dir.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        request = _Request(
            str(database.resolve()),
            str(state_dir.resolve()),
            as_of_variables(as_of),
            None if select is None else tuple(select),
        )
        self._building = self._used = True
        self._connection.send(request)
        reply = self._receive(should_stop)
        self._building = False
        assert isinstance(reply, _Reply)
        seconds = time.perf_counter() - started
        if not reply.success:
            raise DbtFailedError("dbt build failed:\n  " + "\n  ".join(reply.problems))
        return DbtOutcome(seconds=seconds, nodes=reply.nodes)

    def compile_plan(
        self,
        template: Path,
        *,
        state_dir: Path,
        should_stop: Callable[[], bool] | None = None,
    ) -> tuple[list[PlanNode], dict[str, str]]:
        """Has dbt build the empty ``template`` (stamped, its event tables made) and compile
        its incremental models; returns a build plan's nodes and sources. Raises
        ``DbtFailedError`` if dbt failed, ``PlanError`` if the project cannot be planned."""
        if self._process is None or not self._process.is_alive():
            self._start()
        assert self._connection is not None
        state_dir.mkdir(parents=True, exist_ok=True)
        self._building = self._used = True
        self._connection.send(_PlanRequest(str(template.resolve()), str(state_dir.resolve())))
        reply = self._receive(should_stop)
        self._building = False
        assert isinstance(reply, _PlanReply)
        if not reply.plannable:
            raise PlanError("; ".join(reply.problems))
        if not reply.success:
            raise DbtFailedError("dbt build failed:\n  " + "\n  ".join(reply.problems))
        return reply.nodes, reply.sources

    def _receive(self, should_stop: Callable[[], bool] | None) -> _Reply | _PlanReply:
        assert self._connection is not None and self._process is not None
        while True:
            if should_stop is not None and should_stop():
                self._end()
                raise DbtStoppedError("Stopped while dbt was building.")
            if self._connection.poll(0.1):
                try:
                    message = self._connection.recv()
                except EOFError:
                    message = None
                if message == "ready":
                    continue
                if isinstance(message, _Reply | _PlanReply):
                    return message
                self._end()
                raise DbtFailedError("The dbt worker ended without an answer.")
            if not self._process.is_alive():
                self._end()
                raise DbtFailedError("The dbt worker died while building.")

    def _end(self) -> None:
        self._building = False
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join(5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None

    def close(self) -> None:
        """Lets an idle worker exit; ends one that is still building (an interrupted build)
        or was never asked to build (a refresh with nothing new need not wait for its import)."""
        idle = self._used and not self._building
        if idle and self._process is not None and self._process.is_alive() and self._connection:
            try:
                self._connection.send(None)
                self._process.join(10)
            except (BrokenPipeError, OSError):
                pass
        self._end()

    def __enter__(self) -> DbtWorker:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
