"""The root group builds a command only when it is used, and then builds all of it.

``apps.cli.main`` lists every root command and noun with the module that defines it
(``apps.cli.lazy``). These tests fail when a module gains a command or a sub-app the list does
not name, and when a noun built alone, in a fresh process as a user's shell starts one, lacks a
command that another module adds to it (``apps.cli.listing``'s list/show).
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import typer.main

import apps.cli
from apps.cli import main
from apps.cli.lazy import root_commands

ROOT = Path(__file__).resolve().parents[2]


def cli_modules() -> list[str]:
    return sorted(
        f"apps.cli.{info.name}"
        for info in pkgutil.iter_modules(apps.cli.__path__)
        if info.name not in ("main", "lazy")
    )


def test_every_sub_app_of_the_command_modules_is_a_noun_of_the_root() -> None:
    found = {
        id(value): f"{name}.{attribute}"
        for name in cli_modules()
        for attribute, value in vars(importlib.import_module(name)).items()
        if isinstance(value, typer.Typer)
    }
    nouns = {
        id(getattr(importlib.import_module(module), attribute))
        for module, attribute in main.NOUNS.values()
    }
    assert sorted(found[key] for key in found.keys() - nouns) == []
    assert len(nouns) == len(main.NOUNS)


def test_every_root_command_a_module_registers_is_offered_by_the_root() -> None:
    registering = [
        name
        for name in cli_modules()
        if callable(getattr(importlib.import_module(name), "register", None))
    ]
    assert sorted(set(main.ROOT_COMMANDS.values())) == registering
    for module in registering:
        offered = {name for name, source in main.ROOT_COMMANDS.items() if source == module}
        assert set(root_commands(module)) == offered, module


def full_tree() -> dict[str, list[str]]:
    """Every noun's commands with every command module imported, as `monev --help` sees them."""
    for name in cli_modules():
        importlib.import_module(name)
    root = typer.main.get_command(main.app)
    return {noun: list(root.commands[noun].commands) for noun in main.NOUNS}  # type: ignore[attr-defined]


# Builds one noun in a fresh process, as `monev NOUN ...` does, and prints its commands.
ALONE = """
import json, sys
import typer.main
from apps.cli.main import app
group = typer.main.get_command(app).commands[sys.argv[1]]
print(json.dumps(list(group.commands)))
"""


@pytest.mark.parametrize("noun", sorted(main.NOUNS))
def test_a_noun_built_alone_has_every_command(noun: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", ALONE, noun], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(run.stdout) == full_tree()[noun]


def test_the_root_lists_every_command_in_order_without_building_them() -> None:
    group = typer.main.get_command(main.app)
    names = list(group.commands)  # type: ignore[attr-defined]
    assert names == [*main.ROOT_COMMANDS, *main.NOUNS]
    assert group.commands.built == {}  # type: ignore[attr-defined]
