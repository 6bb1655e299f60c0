"""The root command group, which imports a command's module only when that command is used.

Every command is a new process, and importing every command module (with typer building the
parameters of all ~50 commands) cost each one about as much as Python and typer themselves.
The root group (``cls=`` of the root ``typer.Typer``, typer's documented way to change the
group) therefore knows its commands by name only; a command is built from its module the first
time it is looked up: to run it, to show its help, or for ``monev --help``, which lists them all
and so builds them all. What is built is exactly what registering it on the root app builds: the
same typer calls (``add_typer`` / ``command``) on a stand-in root with the same settings, read
back through ``typer.main.get_command``. Names, order and the "Did you mean" suggestions are the
full list from the start.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

import typer
import typer.main
from typer.core import TyperGroup

Commands = dict[str, Any]  # click commands by name


def root_commands(module_name: str) -> Commands:
    """The root commands a module's ``register(app)`` adds, as the root app would build them."""
    stand_in = _stand_in()
    importlib.import_module(module_name).register(stand_in)
    return dict(typer.main.get_command(stand_in).commands)  # type: ignore[attr-defined]


def noun(name: str, module_name: str, attribute: str, *extra_modules: str) -> Commands:
    """A noun's sub-app (``module.attribute``) as ``add_typer(sub_app, name=name)`` builds it.

    ``extra_modules`` add commands to the sub-app (``apps.cli.listing``'s list/show).
    """
    sub_app = getattr(importlib.import_module(module_name), attribute)
    for extra in extra_modules:
        importlib.import_module(extra)
    stand_in = _stand_in()
    stand_in.add_typer(sub_app, name=name)
    return {name: typer.main.get_command(stand_in).commands[name]}  # type: ignore[attr-defined]


def _stand_in() -> typer.Typer:
    """A root with the real root's settings that matter to its commands, and a callback, so
    that typer builds a group whatever the number of commands."""
    stand_in = typer.Typer(rich_markup_mode=None, add_completion=False)
    stand_in.callback()(_no_options)
    return stand_in


def _no_options() -> None:
    """The stand-in root's callback (never run)."""


class LazyCommands(MutableMapping[str, Any]):
    """A group's commands by name; looking one up builds it, with any others its loader
    builds at the same time (a module's root commands come together)."""

    def __init__(self, loaders: Mapping[str, Callable[[], Commands]]) -> None:
        self.loaders = dict(loaders)
        self.built: Commands = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            for built_name, command in self.loaders[name]().items():
                self.built.setdefault(built_name, command)
        return self.built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.loaders.setdefault(name, lambda: {name: command})
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.loaders[name]
        self.built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.loaders)

    def __len__(self) -> int:
        return len(self.loaders)


class LazyGroup(TyperGroup):
    """A ``TyperGroup`` whose commands come from ``loaders`` (set by a subclass), on demand."""

    loaders: Mapping[str, Callable[[], Commands]] = {}  # set by a subclass

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        registered = dict(self.commands)
        self.commands = LazyCommands(self.loaders)
        self.commands.update(registered)
