"""Runs a build plan on a candidate: dbt's compiled SQL, without dbt.

What each kind of node does here is what dbt-duckdb does for it, in one DuckDB transaction:

- **seed**: created from the template's DDL, its rows copied from the template (a full build);
- **view**: created from the template's DDL (a full build); an incremental run leaves it, since
  a view's definition does not change with the data;
- **table**: created from the template's DDL (contract types and constraints, comments), then
  filled with the model's SQL (``INSERT … BY NAME``, as dbt fills a contracted table);
- **incremental**: a full build fills it like a table; an incremental run evaluates the
  model's incremental SQL into a temporary table, deletes the target's rows with those unique
  keys and inserts the new rows (dbt's ``delete+insert``);
- **test**: counted after every model is built; a failing test with severity ``error`` fails
  the build, which then commits nothing (``warn`` is logged);
- **operation** (on-run-start hooks): its statement, if it compiled to one.

A full build (``changed`` None) runs everything on a copy of the projection; an incremental run
(a copy of the published warehouse with new events appended) only the nodes downstream of the
event tables in ``changed``, as ``dbt build --select source:events.<table>+`` would. The
session's settings are the profile's (profiles.yml: TimeZone UTC).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from projections.build_plan import BuildPlan, PlanNode
from projections.dbt_build import DbtFailedError, DbtStoppedError
from projections.schema import literal, quote

logger = logging.getLogger(__name__)

TEMPLATE_ALIAS = "monev_plan_template"
INCREMENT_TABLE = "monev_plan_increment"
# The profile's session settings (dbt_project/profiles.yml), which dbt-duckdb sets on its
# connection; tests/unit/test_build_plan_storage.py keeps the two the same.
SESSION_SETTINGS = {"TimeZone": "UTC"}


@dataclass(frozen=True)
class PlanOutcome:
    seconds: float
    nodes: int
    tests: int


def execute(
    plan: BuildPlan,
    candidate: Path,
    *,
    changed: Iterable[str] | None = None,
    should_stop: Callable[[], bool] | None = None,
    threads: int | None = None,
) -> PlanOutcome:
    """Builds ``candidate`` from the plan: everything (``changed`` None) or what the new rows
    of the ``changed`` event tables feed. Raises ``DbtFailedError`` naming the failed tests or
    statement (nothing of the build is then committed), ``DbtStoppedError`` when stopped.
    ``threads`` sets DuckDB's worker threads (default: one per core), for the test that shows
    the marts do not depend on it."""
    started = time.perf_counter()
    full = changed is None
    selected = None if changed is None else plan.downstream_of(changed)
    nodes = [n for n in plan.nodes if selected is None or n.unique_id in selected]
    # Attached under the catalog name dbt compiled against, which the SQL names.
    con = duckdb.connect()
    try:
        for name, value in SESSION_SETTINGS.items():
            con.execute(f"SET {name} = '{value}'")
        if threads is not None:
            con.execute(f"SET threads = {int(threads)}")
        con.execute(f"ATTACH {literal(candidate)} AS {quote(plan.catalog)}")
        con.execute(f"USE {quote(plan.catalog)}")
        if full:
            con.execute(f"ATTACH {literal(plan.template)} AS {TEMPLATE_ALIAS} (READ_ONLY)")
        con.begin()
        built = tests = 0
        failures: list[str] = []
        try:
            if full:
                for schema in sorted({n.schema for n in nodes if n.schema is not None}):
                    con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(schema)}")
            for node in nodes:
                if should_stop is not None and should_stop():
                    raise DbtStoppedError("Stopped while the warehouse was building.")
                if node.kind == "test":
                    continue
                _run(con, node, full=full)
                # Views are made in a full build only: their definitions do not change.
                built += node.kind in ("seed", "table", "incremental") or (
                    full and node.kind == "view"
                )
            for node in nodes:
                if node.kind != "test":
                    continue
                if should_stop is not None and should_stop():
                    raise DbtStoppedError("Stopped while the warehouse was tested.")
                tests += 1
                failure = _test(con, node)
                if failure is not None:
                    failures.append(failure)
            if failures:
                raise DbtFailedError("dbt build failed:\n  " + "\n  ".join(failures))
            con.commit()
        except BaseException:
            con.rollback()
            raise
        if full:
            con.execute(f"DETACH {TEMPLATE_ALIAS}")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    seconds = time.perf_counter() - started
    logger.info(
        "Built from the plan %s (%s): %d relations, %d tests in %.2f s.",
        plan.key[:12],
        "everything" if full else "downstream of " + ", ".join(sorted(changed or ())),
        built,
        tests,
        seconds,
    )
    return PlanOutcome(seconds=seconds, nodes=built, tests=tests)


def _run(con: duckdb.DuckDBPyConnection, node: PlanNode, *, full: bool) -> None:
    try:
        if node.kind == "operation":
            if node.sql and node.sql.strip():
                con.execute(node.sql)
        elif node.kind == "seed":
            _create(con, node)
            con.execute(
                f"INSERT INTO {node.relation} SELECT * FROM {TEMPLATE_ALIAS}.{node.relation}"
            )
        elif node.kind == "view":
            if full:
                _create(con, node)
        elif node.kind == "table" or (node.kind == "incremental" and full):
            if not full:
                # Dropped and made again, as dbt replaces a table: deleting every row instead
                # made a 1M-event warehouse's commit rewrite them (8 s, against 0.3 s).
                con.execute(f"DROP TABLE {node.relation}")
            _create(con, node)
            con.execute(f"INSERT INTO {node.relation} BY NAME {_select(node.sql)}")
        elif node.kind == "incremental":
            _replace_keys(con, node)
    except duckdb.Error as error:
        raise DbtFailedError(f"dbt build failed:\n  {node.unique_id}: error: {error}") from error


def _create(con: duckdb.DuckDBPyConnection, node: PlanNode) -> None:
    # One call for the CREATE and its COMMENTs: a mart has one per column.
    con.execute(";\n".join(node.create))


def _replace_keys(con: duckdb.DuckDBPyConnection, node: PlanNode) -> None:
    """dbt's delete+insert: the rows of every key the incremental SQL returns are replaced."""
    con.execute(f"CREATE TEMP TABLE {INCREMENT_TABLE} AS {_select(node.incremental_sql)}")
    matches = " AND ".join(
        f"{node.relation}.{quote(key)} = {INCREMENT_TABLE}.{quote(key)}" for key in node.unique_key
    )
    con.execute(f"DELETE FROM {node.relation} USING {INCREMENT_TABLE} WHERE {matches}")
    con.execute(f"INSERT INTO {node.relation} BY NAME SELECT * FROM {INCREMENT_TABLE}")
    con.execute(f"DROP TABLE {INCREMENT_TABLE}")


def _test(con: duckdb.DuckDBPyConnection, node: PlanNode) -> str | None:
    """None when the test passes (or only warns), else what dbt would report."""
    test = node.test
    assert test is not None and node.sql is not None
    limit = "" if test.limit is None else f"\nLIMIT {int(test.limit)}"
    query = (
        f"SELECT {test.fail_calc} AS failures, "
        f"{test.fail_calc} {test.warn_if} AS should_warn, "
        f"{test.fail_calc} {test.error_if} AS should_error "
        f"FROM ({_body(node.sql)}{limit}\n) AS monev_test"
    )
    try:
        row = con.execute(query).fetchone()
    except duckdb.Error as error:
        return f"{node.unique_id}: error: {error}"
    assert row is not None
    failures, should_warn, should_error = row
    if test.severity == "error" and should_error:
        return f"{node.unique_id}: fail: {failures} failing rows (fails if {test.error_if})"
    if should_warn or should_error:
        logger.warning("%s: warn: Got %s results", node.unique_id, failures)
    return None


def _select(sql: str | None) -> str:
    assert sql is not None
    return f"SELECT * FROM ({_body(sql)}\n) AS monev_model"


def _body(sql: str) -> str:
    """dbt's compiled SQL as a subquery: on its own lines (it may end in a comment), without
    a closing semicolon."""
    return "\n" + sql.strip().rstrip(";").rstrip()
