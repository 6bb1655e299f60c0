"""Every message id the code can show, found by reading the source (as gettext's extractors do).

- refusals: the first argument of every ``<Something>Error("…", …)`` in ``domain/`` (raised, or
  made by a helper that returns it), and of every call that hands a refusal's code on
  (``_save_new(aggregate, "…")``);
- worded parameters: string literals passed as a ``what`` argument in ``domain/`` (a field name
  such as ``"Activity name"``, an action such as ``"record an evaluation"``);
- the entry points' own refusals (``raise InvalidInputError("…")`` … in ``apps/``) and the
  command line's lines: the first argument of ``fail("…")``, ``done("…")`` and ``say("…")`` in
  ``apps/cli/``.

A refusal another change adds later is found the same way, so the catalogue test fails until it
has its Indonesian wording.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Functions whose ``what`` is not a message id of ours (the library's, say).
_NOT_WORDED: frozenset[str] = frozenset()
_APP_CALLS = frozenset({"fail", "done", "say", "render", "translate"})
_MONEV_ERRORS = frozenset(
    {
        "MonevError",
        "InvalidInputError",
        "NotFoundError",
        "DuplicateError",
        "PermissionDeniedError",
        "QuarterClosedError",
        "ActivityMergedError",
        "ConflictError",
    }
)

_READ_SIDE_ERRORS = frozenset({"AsOfError"})


@dataclass(frozen=True)
class MessageId:
    text: str
    params: tuple[str, ...]
    where: str


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _what_positions() -> dict[str, int]:
    """Functions of the domain with a ``what`` parameter, and its position (self excluded)."""
    import domain

    positions: dict[str, int] = {}
    for info in pkgutil.iter_modules(domain.__path__, "domain."):
        module = importlib.import_module(info.name)
        for owner in [module, *(c for _, c in inspect.getmembers(module, inspect.isclass))]:
            for name, func in inspect.getmembers(owner, inspect.isfunction):
                params = [p for p in inspect.signature(func).parameters if p != "self"]
                if "what" in params and name not in _NOT_WORDED:
                    positions[name] = params.index("what")
    return positions


def _files(folder: str) -> Iterator[Path]:
    yield from sorted((ROOT / folder).rglob("*.py"))


def message_ids() -> list[MessageId]:
    found: list[MessageId] = []
    positions = _what_positions()
    for path in _files("domain"):
        tree = ast.parse(path.read_text("utf-8"))
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                if _name(node.func).endswith("Error") and node.args:  # raised or returned
                    found.extend(_literal(node, 0, where))
                name = _name(node.func)
                if name == "_save_new":
                    found.extend(_literal(node, 1, where))
                if name in positions:
                    index = positions[name]
                    args = node.args
                    if len(args) > index and isinstance(args[index], ast.Constant):
                        found.append(MessageId(str(args[index].value), (), where))
                    for keyword in node.keywords:
                        if keyword.arg == "what" and isinstance(keyword.value, ast.Constant):
                            found.append(MessageId(str(keyword.value.value), (), where))
    # The read side's refusals that reach a user (an as-of cut-off) are coded the same way.
    for path in _files("projections"):
        tree = ast.parse(path.read_text("utf-8"))
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in _READ_SIDE_ERRORS:
                found.extend(_literal(node, 0, where))
    for path in _files("apps"):
        tree = ast.parse(path.read_text("utf-8"))
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Raise)
                and isinstance(node.exc, ast.Call)
                and _name(node.exc.func) in _MONEV_ERRORS
            ):
                found.extend(_literal(node.exc, 0, where))
            if (
                where.startswith("apps/cli")
                and isinstance(node, ast.Call)
                and _name(node.func) in _APP_CALLS
            ):
                found.extend(_literal(node, 0, where))
    unique: dict[str, MessageId] = {}
    for message in found:
        unique.setdefault(message.text, message)
    return list(unique.values())


def _literal(call: ast.Call, index: int, where: str) -> list[MessageId]:
    if len(call.args) <= index:
        return []
    arg = call.args[index]
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        params = tuple(k.arg for k in call.keywords if k.arg)
        return [MessageId(arg.value, params, where)]
    return []


def non_literal_refusals() -> list[str]:
    """Refusals made in ``domain/`` whose code is not a string literal (it could not be found)."""
    bad = []
    for path in _files("domain"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and _name(node.func) in _MONEV_ERRORS  # the library's own errors are not ours
                and node.args
                and not isinstance(node.args[0], ast.Constant)
                # _save_new hands on its caller's literal, found above
                and ast.unparse(node.args[0]) != "duplicate"
            ):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return bad
