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

from apps.users import find_user, load_users
from domain.actors import Actor
from domain.errors import MonevError
from eventstore.settings import ConfigFileError, Settings

if TYPE_CHECKING:  # the application (the library, a store's driver) loads on first use
    from domain.application import Monev

_state: dict[str, str | None] = {"user": None}


def set_user(user: str | None) -> None:
    _state["user"] = user


@cache
def settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigFileError as error:
        raise fail(str(error)) from None


@cache
def application() -> Monev:
    from eventstore.bootstrap import build_application

    return build_application(settings())


def actor() -> Actor:
    """The acting user from --user or MONEV_USER, looked up in the users file."""
    user_id = _state["user"] or settings().user
    return find_user(load_users(settings().users_path), user_id).actor


def fail(message: str) -> typer.Exit:
    typer.echo(f"Ditolak / refused: {message}", err=True)
    return typer.Exit(code=1)


@contextmanager
def refusals() -> Iterator[None]:
    """Turns a domain refusal into one plain line on stderr and exit code 1."""
    try:
        yield
    except MonevError as error:
        raise fail(str(error)) from None


def done(message: str) -> None:
    typer.echo(message)


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise fail(f"'{value}' is not a date: write it as YYYY-MM-DD, e.g. 2017-04-12.") from None


def parse_money(value: str) -> int:
    from apps.spreadsheets.numbers import parse_rupiah

    with refusals():
        try:
            return parse_rupiah(value)
        except ValueError as error:
            if isinstance(error, MonevError):
                raise
            raise fail(
                f"'{value}' is not an amount of rupiah: write 1250000 or 1.250.000."
            ) from None


def parse_number(value: str) -> float:
    from apps.spreadsheets.numbers import parse_number as parse

    try:
        return parse(value)
    except ValueError:
        raise fail(f"'{value}' is not a number: write 60, 60,5 or 1.250.") from None


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.replace(";", ",").split(",") if item.strip()]


def is_interactive() -> bool:
    return sys.stderr.isatty()
