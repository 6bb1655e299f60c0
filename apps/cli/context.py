"""What every command needs: settings, the application, the acting user, and refusals.

Kept apart from the commands so each command stays a thin parse → call → print.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

import typer

from apps import messages
from domain.errors import MonevError

if TYPE_CHECKING:  # the settings and the application load on first use, not for `--help`
    from domain.actors import Actor
    from domain.application import Monev
    from eventstore.settings import Settings

_state: dict[str, str | None] = {"user": None, "lang": None}


def set_user(user: str | None) -> None:
    _state["user"] = user


def set_language(lang: str | None) -> None:
    _state["lang"] = lang


def lang() -> str:
    """``--lang``, else ``MONEV_LANG``, else Indonesian."""
    return messages.language(_state["lang"])


@cache
def settings() -> Settings:
    from eventstore.settings import ConfigFileError, Settings

    try:
        return Settings.from_env()
    except ConfigFileError as error:
        raise fail(str(error)) from None


@cache
def application() -> Monev:
    from eventstore.bootstrap import build_application

    return build_application(settings())


def chosen_user() -> str | None:
    """The user named by --user or MONEV_USER (a claim, proved by ``apps.cli.identity``)."""
    return _state["user"] or settings().user


def actor() -> Actor:
    """The acting user, who must have proved who they are (``apps.cli.identity``)."""
    from apps.cli.identity import authenticated_user

    user_id = chosen_user()
    with refusals():
        return authenticated_user(settings(), user_id, interactive=is_interactive()).actor


def fail(message: str | MonevError, **params: object) -> typer.Exit:
    """One line on stderr saying why (in the user's language); the caller raises the exit 1."""
    language = lang()
    reason = messages.render(message, language, **params)
    typer.echo(f"{messages.render('Refused', language)}: {reason}", err=True)
    return typer.Exit(code=1)


@contextmanager
def refusals() -> Iterator[None]:
    """Turns a domain refusal into one plain line on stderr and exit code 1."""
    try:
        yield
    except MonevError as error:
        raise fail(error) from None


def ask_password(prompt: str, *, confirm: bool = False, **params: object) -> str:
    """Asks on the terminal, unechoed, in the user's language (typer's own prompts, such as its
    confirmation and its mismatch line, are English only). With ``confirm``, asks twice until
    the two agree."""
    language = lang()
    while True:
        password = typer.prompt(
            messages.render(prompt, language, **params), hide_input=True, err=True
        )
        if not confirm:
            return password
        again = typer.prompt(
            messages.render("Repeat the password", language), hide_input=True, err=True
        )
        if again == password:
            return password
        typer.echo(
            messages.render("The two passwords differ: type them again.", language), err=True
        )


def done(message: str, **params: object) -> None:
    """The command's one line of result on stdout, in the user's language."""
    typer.echo(messages.render(message, lang(), **params))


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise fail(
            "'{value}' is not a date: write it as YYYY-MM-DD, e.g. 2017-04-12.", value=value
        ) from None


def parse_money(value: str) -> int:
    from apps.spreadsheets.numbers import parse_rupiah

    with refusals():
        try:
            return parse_rupiah(value)
        except ValueError as error:
            if isinstance(error, MonevError):
                raise
            raise fail(
                "'{value}' is not an amount of rupiah: write 1250000 or 1.250.000.", value=value
            ) from None


def parse_number(value: str) -> float:
    from apps.spreadsheets.numbers import parse_number as parse

    try:
        return parse(value)
    except ValueError:
        raise fail("'{value}' is not a number: write 60, 60,5 or 1.250.", value=value) from None


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.replace(";", ",").split(",") if item.strip()]


def is_interactive() -> bool:
    return sys.stderr.isatty()
