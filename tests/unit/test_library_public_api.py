"""monev uses only the eventsourcing library's public interface (and the version it expects).

Every underscore member the library defines (a method, a module-level name, an attribute it
sets on ``self``) is collected from the installed library's source; the code under
``domain/``, ``apps/``, ``projections/`` and ``eventstore/`` may not import one, read or call
one on any object, or define a method of that name (which would override the library's hook).
A copied method would bring its calls to the library's private helpers with it, so copies are
caught too. Names monev's own classes happen to share with a private library member are
refused as well: the scan cannot tell whose object it is, so pick another name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import eventsourcing
import pytest

from eventstore.library_version import (
    LibraryVersionError,
    check_library_version,
    installed_version,
    is_supported,
)

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("domain", "apps", "projections", "eventstore")
LIBRARY = Path(eventsourcing.__file__).resolve().parent


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def library_private_names() -> set[str]:
    names: set[str] = set()
    for path in LIBRARY.rglob("*.py"):
        if "tests" in path.relative_to(LIBRARY).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                candidates = [node.name]
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                candidates = [node.attr]
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                candidates = [node.id]
            else:
                continue
            names.update(c for c in candidates if _private(c))
    return names


PRIVATE = library_private_names()


def uses_of_private_members(source: str) -> Iterator[tuple[int, str]]:
    """(line, what) for each use of a private library member in ``source``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("eventsourcing"):
            for alias in node.names:
                if _private(alias.name):
                    yield node.lineno, f"imports {node.module}.{alias.name}"
        elif isinstance(node, ast.Attribute) and node.attr in PRIVATE:
            yield node.lineno, f"uses .{node.attr}"
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                is_method = isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                if is_method and item.name in PRIVATE:
                    yield item.lineno, f"defines {node.name}.{item.name} (a library hook)"
        elif isinstance(node, ast.Call) and (
            isinstance(node.func, ast.Name) and node.func.id == "getattr" and len(node.args) >= 2
        ):
            name = node.args[1]
            if isinstance(name, ast.Constant) and name.value in PRIVATE:
                yield node.lineno, f"getattr(..., {name.value!r})"


def test_the_library_has_private_members_to_look_for() -> None:
    # Sanity: the scan knows the members the write side once reached into.
    assert {"_record", "_notify", "_take_snapshots", "_decode_obj", "_insert_events"} <= PRIVATE
    assert {"_lock_table", "_notify_channel", "_reconstruct_aggregate"} <= PRIVATE


@pytest.mark.parametrize(
    "source",
    [
        "app._record(event)",
        "class R(Recorder):\n    def _insert_events(self, c, events): ...",
        "from eventsourcing.persistence import _private_thing",
        "getattr(transcoder, '_decode_obj')(d)",
        "super()._notify(recordings)",
    ],
)
def test_the_scan_finds_each_kind_of_use(source: str) -> None:
    assert list(uses_of_private_members(source))


@pytest.mark.parametrize("package", SCANNED)
def test_no_private_library_member_is_used(package: str) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, what in uses_of_private_members(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_installed_library_is_the_one_the_recorders_were_written_for() -> None:
    assert is_supported(installed_version())
    check_library_version()


def test_the_version_read_from_the_install_is_the_one_its_metadata_gives() -> None:
    from importlib.metadata import version

    assert installed_version() == version("eventsourcing")


@pytest.mark.parametrize("found", ["9.4.9", "10.0.0", "9", "none"])
def test_another_library_version_is_refused_plainly(found: str) -> None:
    with pytest.raises(LibraryVersionError, match=f"but {found} is installed"):
        check_library_version(found)


def test_a_patch_release_is_accepted() -> None:
    check_library_version("9.5.99")
