"""A stored topic resolves even when its class has not been imported (``domain.topics``).

Commands import only the aggregates they touch, so a process that reads the whole store (a
listing, the log, a projection) meets topics of classes it never imported; the library must
still find each one, through the library's own ``resolve_topic``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from domain.events import AGGREGATES, all_event_classes

ROOT = Path(__file__).resolve().parents[2]

# In a fresh process that imported the application service and no aggregate, resolves each
# topic and prints where the class it found is defined, and which aggregate modules it loaded.
RESOLVE = """
import json, sys
import domain.application
from eventsourcing.utils import resolve_topic
before = sorted(m for m in sys.modules if m in AGGREGATE_MODULES)
found = {t: f"{c.__module__}:{c.__qualname__}" for t in sys.argv[1:] for c in [resolve_topic(t)]}
print(json.dumps({"before": before, "found": found}))
"""


def fresh_python(code: str, *arguments: str) -> str:
    """What ``code`` prints in a new Python process, which has imported none of monev."""
    run = subprocess.run(
        [sys.executable, "-c", code, *arguments],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


def test_every_topic_resolves_in_a_process_that_has_not_imported_its_class() -> None:
    classes = [*AGGREGATES, *all_event_classes()]
    modules = sorted({c.__module__ for c in classes})
    topics = {c.TOPIC: f"{c.__module__}:{c.__qualname__}" for c in classes}  # type: ignore[attr-defined]
    report = json.loads(fresh_python(f"AGGREGATE_MODULES = {modules!r}\n{RESOLVE}", *topics))
    assert report["before"] == []  # the application service alone imports no aggregate
    assert report["found"] == topics


def test_an_unknown_topic_is_still_refused() -> None:
    code = (
        "import domain.application\n"
        "from eventsourcing.utils import resolve_topic, TopicError\n"
        "try:\n    resolve_topic('monev:NoSuchEvent')\n"
        "except TopicError as e:\n    print('refused', e)\n"
    )
    output = fresh_python(code)
    assert output.startswith("refused") and "monev:NoSuchEvent" in output


def test_an_event_topic_resolves_first_in_a_fresh_process() -> None:
    """The first topic a projection worker meets is usually an event's, not an aggregate's:
    the library has taken the event class's TOPIC by then, so it is found by its topic."""
    code = (
        "import domain.application\n"
        "from eventsourcing.utils import resolve_topic\n"
        "print(resolve_topic('monev:ServiceRegionDefined').__qualname__)\n"
    )
    assert fresh_python(code).strip() == "ServiceRegion.Defined"
