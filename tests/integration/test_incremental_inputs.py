"""The change list follows the inputs of the incremental models (issue #17, point 3).

`int_activities_changed` names the activities an incremental build recomputes in
`int_activities_merged`, `int_activity_quarters_evaluated` and `activity_quarter`; every other
activity keeps its rows. So every event table those models read, however indirectly, must
also reach the change list, or a new join would go stale silently. Read from dbt's own graph
(`dbt parse`), so macros' refs and `depends_on` hints count as dbt counts them.

Rows whose key disappears: these models delete and rewrite every row of a changed activity
(delete+insert keyed by activity), so a quarter row that no longer belongs to it (a merged
original ends earlier) goes with the rest. An activity itself never disappears: events are
append-only and no event removes an activity; an as-of build, the only way to see fewer
events, always rebuilds these models in full. `int_evaluations_deduplicated` (keyed by
activity and quarter) only gains keys for the same reason.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from test_marts_helpers import run_dbt

CHANGE_LIST = "model.monev.int_activities_changed"

# Event tables an activity-keyed incremental model may read without the change list reading
# them, and why that is safe.
EXEMPT = {
    "opd_registered": (
        "the domain registers an activity only for a registered OPD and never renames one, so "
        "a new OPD changes no existing activity's rows"
    ),
}


def upstream_sources(
    parent_map: Mapping[str, Sequence[str]], node: str, stop: frozenset[str] = frozenset()
) -> set[str]:
    """The event tables (``source.monev.events.<table>``) a node reads, however indirectly."""
    seen: set[str] = set()
    found: set[str] = set()
    pending = [node]
    while pending:
        for parent in parent_map.get(pending.pop(), ()):
            if parent in seen or parent in stop:
                continue
            seen.add(parent)
            if parent.startswith("source.monev.events."):
                found.add(parent.rsplit(".", 1)[1])
            pending.append(parent)
    return found


def missing_triggers(manifest: Mapping[str, object]) -> dict[str, set[str]]:
    """For each model recomputed by the change list, the event tables it reads that the
    change list does not (exemptions left out)."""
    nodes = manifest["nodes"]
    parent_map = manifest["parent_map"]
    assert isinstance(nodes, dict) and isinstance(parent_map, dict)
    triggers = upstream_sources(parent_map, CHANGE_LIST)
    missing = {}
    for unique_id, node in nodes.items():
        if unique_id == CHANGE_LIST or node["resource_type"] != "model":
            continue
        if "is_recomputed(" not in node["raw_code"]:
            continue
        read = upstream_sources(parent_map, unique_id, stop=frozenset({CHANGE_LIST}))
        missing[node["name"]] = read - triggers - set(EXEMPT)
    return missing


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    state = tmp_path_factory.mktemp("parse")
    run_dbt(Path(":memory:"), "parse", state=state)
    loaded: dict[str, object] = json.loads((state / "target" / "manifest.json").read_text())
    return loaded


def test_every_input_of_an_activity_keyed_incremental_model_reaches_the_change_list(
    manifest: dict[str, object],
) -> None:
    missing = missing_triggers(manifest)
    assert set(missing) == {
        "int_activities_merged",
        "int_activity_quarters_evaluated",
        "activity_quarter",
    }
    assert missing == {name: set() for name in missing}


def test_the_check_fails_when_a_model_gains_an_input_the_change_list_does_not_follow(
    manifest: dict[str, object],
) -> None:
    parent_map = dict(manifest["parent_map"])  # type: ignore[call-overload]
    mart = "model.monev.activity_quarter"
    parent_map[mart] = [*parent_map[mart], "model.monev.stg_events__mentors_assigned"]
    assert missing_triggers({**manifest, "parent_map": parent_map})["activity_quarter"] == {
        "mentor_assigned"
    }


def test_every_exemption_is_still_read_by_an_incremental_model(
    manifest: dict[str, object],
) -> None:
    parent_map = manifest["parent_map"]
    assert isinstance(parent_map, dict)
    read = upstream_sources(parent_map, "model.monev.activity_quarter", frozenset({CHANGE_LIST}))
    assert set(EXEMPT) <= read
