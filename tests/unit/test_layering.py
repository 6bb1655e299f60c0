"""The layers point one way: the domain imports no database or app, the read side no app.

Checked on the source (every ``import`` statement anywhere in a module, including ones inside
functions), so an import that only runs on some code path cannot slip through.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

DOMAIN_MAY_NOT_IMPORT = (
    "sqlite3",
    "duckdb",
    "dbt",
    "streamlit",
    "psycopg",
    "psycopg2",
    "psycopg_pool",
    "sqlalchemy",
    "eventsourcing.sqlite",
    "eventsourcing.postgres",
    "apps",
    "projections",
)
PROJECTIONS_MAY_NOT_IMPORT = ("apps", "streamlit")
# The event store sits beneath the entry points: it opens stores for them and never calls back.
EVENTSTORE_MAY_NOT_IMPORT = ("apps", "projections", "streamlit", "duckdb", "dbt")


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported_names(source: str, package: tuple[str, ...]) -> Iterator[str]:
    """Every module name an import in ``source`` names; relative ones resolved in ``package``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join([*base, *([node.module] if node.module else [])])
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (getattr(node.func, "attr", None) or getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value


def forbidden_imports(package: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in modules(package):
        source = path.read_text(encoding="utf-8")
        for name in imported_names(source, path.relative_to(ROOT).parent.parts):
            if any(name == banned or name.startswith(f"{banned}.") for banned in forbidden):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


def test_the_domain_imports_no_database_warehouse_dashboard_or_app() -> None:
    assert modules("domain"), "the domain package was not found"
    assert forbidden_imports("domain", DOMAIN_MAY_NOT_IMPORT) == []


def test_the_read_side_never_imports_the_apps_or_the_dashboard() -> None:
    assert modules("projections"), "the projections package was not found"
    assert forbidden_imports("projections", PROJECTIONS_MAY_NOT_IMPORT) == []


def test_the_event_store_imports_no_entry_point_read_side_or_dashboard() -> None:
    assert modules("eventstore"), "the eventstore package was not found"
    assert forbidden_imports("eventstore", EVENTSTORE_MAY_NOT_IMPORT) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import sqlite3", "sqlite3"),
        ("import duckdb as db", "duckdb"),
        ("from eventstore.settings import Settings", "eventstore.settings"),
        ("def f():\n    import streamlit\n", "streamlit"),
        ("from eventsourcing import postgres", "eventsourcing.postgres"),
        ("import importlib\nimportlib.import_module('psycopg')", "psycopg"),
        ("from ..apps import bootstrap", "apps"),
    ],
)
def test_the_check_sees_every_kind_of_import(source: str, expected: str) -> None:
    assert expected in set(imported_names(source, ("domain",)))
