"""Every command explains itself, and the README names it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer.main

from apps.cli.main import app

README = Path(__file__).resolve().parents[2] / "README.md"


def all_commands() -> list[tuple[str, Any]]:
    root = typer.main.get_command(app)
    found: list[tuple[str, Any]] = []

    def walk(prefix: str, command: Any) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(f"{prefix} {name}".strip(), sub)
        else:
            found.append((prefix, command))

    walk("", root)
    return found


def test_every_command_and_option_has_help_text() -> None:
    commands = all_commands()
    assert len(commands) > 20
    for name, command in commands:
        assert command.help and command.help.strip(), f"monev {name} has no help"
        assert "Example" in command.help, f"monev {name} has no example"
        for param in command.params:
            if param.param_type_name == "option" and param.name != "help":
                assert param.help, f"monev {name} {param.opts[0]} has no help"


def test_every_command_appears_in_the_readme() -> None:
    readme = README.read_text("utf-8")
    missing = [name for name, _ in all_commands() if f"monev {name}" not in readme]
    assert not missing, f"README does not mention: {missing}"
