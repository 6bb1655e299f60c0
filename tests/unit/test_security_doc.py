"""docs/security.md: every checklist line names a test, and every test it names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "security.md"
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def test_every_checklist_line_names_an_existing_test() -> None:
    text = DOC.read_text("utf-8")
    items = re.split(r"\n- \[x\] ", text.split("## Checklist", 1)[1])[1:]
    assert len(items) >= 20
    for item in items:
        assert NAMED.search(item), f"no test named for: {item[:80]}"
    for path, name in NAMED.findall(text):
        source = (ROOT / path).read_text("utf-8")
        functions = {
            node.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.FunctionDef)
        }
        assert name in functions, f"{path}::{name} does not exist"
