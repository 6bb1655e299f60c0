"""Reads a build plan's nodes out of a real ``dbt build`` and ``dbt compile`` (in the dbt worker).

Only the public attributes of dbt's parsed and compiled nodes are read (``unique_id``,
``resource_type``, ``config``, ``depends_on``, ``compiled_code``, ``schema``, ``alias``): the
same fields dbt writes into ``manifest.json``. What the plan leaves to dbt, the plan refuses to
hold: a test that stores its failures, a node kind it does not know. Such a project is built by
dbt on every refresh, as before plans.
"""

from __future__ import annotations

from collections.abc import Iterable
from graphlib import CycleError, TopologicalSorter
from typing import Any

from projections.build_plan import DataTest, PlanError, PlanNode

EVENTS_SCHEMA = "events"


def plan_nodes(
    manifest: Any, built: Iterable[Any], incremental: Iterable[Any]
) -> tuple[list[PlanNode], dict[str, str]]:
    """The plan's nodes in dependency order (without their DDL, read later from the template)
    and its event-table sources, from the parsed ``manifest``, the build's results and the
    incremental models' compile results."""
    incremental_sql = {
        result.node.unique_id: result.node.compiled_code
        for result in incremental
        if _kind(result.node) == "incremental"
    }
    nodes: dict[str, PlanNode] = {}
    for result in built:
        node = result.node
        kind = _kind(node)
        if kind is None:
            continue
        nodes[node.unique_id] = _plan_node(node, kind, incremental_sql.get(node.unique_id))
    missing = [uid for uid, node in nodes.items() if node.kind == "incremental"]
    missing = [uid for uid in missing if nodes[uid].incremental_sql is None]
    if missing:
        raise PlanError(f"no incremental SQL was compiled for {', '.join(missing)}")
    # Ephemeral models are not run, but they carry the graph from a source to what reads it.
    for unique_id, node in manifest.nodes.items():
        if unique_id not in nodes and _kind(node) == "ephemeral":
            nodes[unique_id] = PlanNode(unique_id, "ephemeral", _parents(node))
    sources = {
        unique_id: source.identifier
        for unique_id, source in manifest.sources.items()
        if source.schema == EVENTS_SCHEMA
    }
    return _in_dependency_order(nodes), sources


def _kind(node: Any) -> str | None:
    resource = str(getattr(node.resource_type, "value", node.resource_type))
    if resource == "model":
        materialized = str(node.config.materialized)
        if materialized not in ("view", "table", "incremental", "ephemeral"):
            raise PlanError(f"{node.unique_id}: materialization {materialized!r} is not planned")
        return materialized
    if resource in ("seed", "test", "operation"):
        return resource
    if resource in ("unit_test", "exposure"):  # the test suite's; documentation
        return None
    raise PlanError(f"{node.unique_id}: a {resource} node is not planned")


def _plan_node(node: Any, kind: str, incremental_sql: str | None) -> PlanNode:
    parents = _parents(node)
    if kind == "operation":
        return PlanNode(node.unique_id, kind, parents, sql=node.compiled_code or "")
    if kind == "test":
        config = node.config
        if config.store_failures:
            raise PlanError(f"{node.unique_id} stores its failures: left to dbt")
        test = DataTest(
            severity=str(config.severity).lower(),
            fail_calc=str(config.fail_calc),
            warn_if=str(config.warn_if),
            error_if=str(config.error_if),
            limit=config.limit,
        )
        return PlanNode(node.unique_id, kind, parents, sql=node.compiled_code, test=test)
    relation = {"schema": node.schema, "name": node.alias}
    if kind == "seed":
        return PlanNode(node.unique_id, kind, parents, **relation)
    unique_key = node.config.unique_key if kind == "incremental" else None
    keys = (unique_key,) if isinstance(unique_key, str) else tuple(unique_key or ())
    if kind == "incremental" and not keys:
        raise PlanError(f"{node.unique_id}: an incremental model without a unique key")
    return PlanNode(
        node.unique_id,
        kind,
        parents,
        **relation,
        sql=node.compiled_code,
        incremental_sql=incremental_sql,
        unique_key=keys,
    )


def _parents(node: Any) -> tuple[str, ...]:
    """The nodes and sources it reads (a seed depends on macros only)."""
    return tuple(getattr(node.depends_on, "nodes", None) or ())


def _in_dependency_order(nodes: dict[str, PlanNode]) -> list[PlanNode]:
    graph = {
        uid: [parent for parent in node.parents if parent in nodes] for uid, node in nodes.items()
    }
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as error:  # dbt refuses cycles; this is a broken plan
        raise PlanError(f"the build's nodes form a cycle: {error.args[1]}") from error
    # Hooks run where dbt runs them: on-run-start first, on-run-end last.
    order.sort(key=lambda uid: _hook_rank(nodes[uid]))
    return [nodes[uid] for uid in order]


def _hook_rank(node: PlanNode) -> int:
    if node.kind != "operation":
        return 1
    return 2 if "on-run-end" in node.unique_id else 0
