"""Another process writing more than a thousand events never leaves a command on stale state.

The reproduction from issue 13, as a new user would try it: process A records an evaluation
(so it holds the activity and the quarter's review in memory); process B closes the quarter
and imports 1,001 rows in one transaction; A runs some other command, then records another
evaluation for the quarter B closed. It must be refused and store nothing, whatever the
operator set for the library's aggregate cache (``AGGREGATE_CACHE_MAXSIZE``: an LRU cache, a
plain unbounded cache with ``0``, none when empty) and for deep copies from it
(``DEEPCOPY_FROM_AGGREGATE_CACHE``), on SQLite and PostgreSQL. B is a separate process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from domain_story import (
    ADMIN,
    BDS,
    DISKOP_STAFF,
    OPEN_QUARTER,
    assert_refused,
    build_story,
)

from domain.application import Monev
from domain.errors import QuarterClosedError
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
IMPORTED_ROWS = 1_001

# Process B: closes the quarter, then stores IMPORTED_ROWS events in one transaction.
PROCESS_B = """
import json, sys
from domain.actors import Actor
from domain.problems import Problem
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

env, quarter, rows = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
app = build_application(Settings.from_env(env))
admin = Actor("rina", "admin")
app.close_quarter(admin, quarter=quarter)
problems = [
    Problem(code=f"PRB-IMPOR-{i:04d}", title="Impor", category="lainnya",
            kecamatan_code=None, actor=admin)
    for i in range(rows)
]
app.save(*problems)
app.close()
"""

CACHES = {"lru": "5000", "plain": "0", "none": ""}


def run_process_b(env: dict[str, str]) -> None:
    child_env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("AGGREGATE_CACHE_MAXSIZE", "DEEPCOPY_FROM_AGGREGATE_CACHE"):
        child_env.pop(name, None)
    subprocess.run(
        [sys.executable, "-c", PROCESS_B, json.dumps(env), OPEN_QUARTER, str(IMPORTED_ROWS)],
        env=child_env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )


def evaluate(app: Monev, physical_pct: float) -> None:
    app.record_evaluation(
        DISKOP_STAFF,
        activity_code=BDS,
        quarter=OPEN_QUARTER,
        physical_pct=physical_pct,
        financial_rp=50_000_000,
        indicator_value=10,
    )


@pytest.mark.parametrize("deepcopy", ["y", "n"], ids=["deepcopy", "no-deepcopy"])
@pytest.mark.parametrize("cache", list(CACHES))
@pytest.mark.parametrize("store", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_quarter_closed_by_a_big_import_elsewhere_refuses_the_next_evaluation(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    store: str,
    cache: str,
    deepcopy: str,
) -> None:
    env: dict[str, Any] = {"MONEV_HOME": str(tmp_path)}
    if store == "postgres":
        env.update(request.getfixturevalue("fresh_postgres_env"))
    # Set as an operator would, in the environment the library reads.
    monkeypatch.setenv("AGGREGATE_CACHE_MAXSIZE", CACHES[cache])
    monkeypatch.setenv("DEEPCOPY_FROM_AGGREGATE_CACHE", deepcopy)
    app = build_application(Settings.from_env(env))
    try:
        expected_cache = {"lru": "LRUCache", "plain": "Cache", "none": "NoneType"}[cache]
        assert type(app.repository.cache).__name__ == expected_cache
        assert app.repository.deepcopy_from_cache is (deepcopy == "y")
        build_story(app)
        evaluate(app, 50)  # A holds the activity and the open quarter's review

        run_process_b(env)

        app.register_opd(ADMIN, code="DISPERINDAG", name="Dinas Perindustrian")  # any command
        error = assert_refused(app, QuarterClosedError, lambda: evaluate(app, 60))
        assert "closed" in str(error)
        assert app.get_activity(BDS).evaluations[OPEN_QUARTER]["physical_pct"] == 50
    finally:
        app.close()
