"""Messages in Bahasa Indonesia first, English on request: one catalogue for every entry point.

Refusals from the domain carry a code (the English wording with ``str.format`` placeholders, the
gettext message id) and parameters (see ``domain.errors``); the CLI, the import report and the
dashboard word them here. The Indonesian wording lives in a gettext catalogue,
``locale/id/LC_MESSAGES/monev.po``, compiled to the ``monev.mo`` beside it
(``python -m apps.messages.compile``) that the standard library's ``gettext`` reads at run time;
a ``.mo`` not compiled from the ``.po`` beside it is ignored and the ``.po`` read with Babel.
English is the message id itself, as gettext does for the source language. A message id the
catalogue lacks is shown in English rather than not at all, and ``tests/unit/test_messages.py``
fails until it is translated.

The language is ``--lang`` where an entry point offers it, else ``MONEV_LANG``, else Indonesian.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from functools import cache
from gettext import GNUTranslations
from hashlib import sha256
from importlib import resources
from importlib.resources.abc import Traversable
from io import BytesIO
from typing import Any

from domain.errors import MonevError

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LOCALES = {"id": "id_ID"}  # the translated languages and their babel locales
_LOCALES = {**LOCALES, "en": "en"}
# A message of each compiled catalogue whose wording is the SHA-256 of the .po it came from.
SOURCE_DIGEST_ID = "monev:source-sha256"
# Parameters that name a field or an action ("Activity name", "record an evaluation"): message
# ids themselves, translated with the sentence. Other parameters are values, shown as they are.
_WORDED_PARAMS = frozenset({"what", "example"})


def language(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language asked for (``--lang``), else ``MONEV_LANG``, else Indonesian."""
    env = os.environ if environ is None else environ
    chosen = (explicit or env.get("MONEV_LANG") or DEFAULT_LANGUAGE).strip().lower()
    chosen = chosen.split("_")[0].split("-")[0]
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def catalogue_files(lang: str) -> tuple[Traversable, Traversable] | None:
    """A translated language's ``monev.po`` and ``monev.mo``; None for English, the source."""
    if lang not in LOCALES:
        return None
    folder = resources.files("apps.messages").joinpath(f"locale/{lang}/LC_MESSAGES")
    return folder.joinpath("monev.po"), folder.joinpath("monev.mo")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The ``.po``'s translations (message id → wording), read with Babel; empty for English."""
    from babel.messages.pofile import read_po  # only for a stale .mo, tests and compiling

    files = catalogue_files(lang)
    if files is None:
        return {}
    with files[0].open("rb") as file:
        po = read_po(file, locale=_LOCALES[lang])
    return {str(m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy}


@cache
def compiled_catalogue(lang: str) -> Callable[[str], str] | None:
    """The compiled catalogue's lookup (message id → wording, else the id), or None when the
    language has none or its ``.mo`` was not compiled from the ``.po`` beside it."""
    files = catalogue_files(lang)
    if files is None:
        return None
    po, mo = files
    try:
        compiled = mo.read_bytes()
    except OSError:  # not compiled
        return None
    return compiled_lookup(po.read_bytes(), compiled)


def compiled_lookup(po: bytes, mo: bytes) -> Callable[[str], str] | None:
    """The ``.mo``'s lookup, if it was compiled from this ``.po``; else None."""
    translations = GNUTranslations(BytesIO(mo))
    if translations.gettext(SOURCE_DIGEST_ID) != sha256(po).hexdigest():
        return None
    return translations.gettext


def translate(message_id: str, lang: str | None = None) -> str:
    """The wording of a message id in the language (English: the id itself)."""
    lang = language(lang)
    lookup = compiled_catalogue(lang)
    if lookup is not None:
        return lookup(message_id)
    return catalogue(lang).get(message_id, message_id)


def render(message: str | MonevError, lang: str | None = None, **params: Any) -> str:
    """A refusal or a message id with its parameters, worded in the language.

    Numbers are written the language's way (``Rp 15.000.000``, ``60,5`` in Indonesian).
    """
    lang = language(lang)
    if isinstance(message, MonevError):
        message, params = message.code, {**message.params, **params}
    template = translate(message, lang)
    if not params:
        return template
    shown = {key: _show(key, value, lang) for key, value in params.items()}
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError):  # a translation naming a wrong placeholder
        return message.format(**shown)


def _show(key: str, value: Any, lang: str) -> Any:
    if key in _WORDED_PARAMS and isinstance(value, str):
        return translate(value, lang)
    if isinstance(value, bool):
        return translate("yes" if value else "no", lang)
    if isinstance(value, int | float):
        return number(value, lang)
    if isinstance(value, list | tuple):
        return ", ".join(str(_show(key, item, lang)) for item in value)
    return value


def number(value: float, lang: str | None = None) -> str:
    """A number the language's way; years and small counts stay ungrouped (2017, not 2.017)."""
    from babel.numbers import format_decimal

    locale = _LOCALES[language(lang)]
    if not math.isfinite(value) or abs(value) >= 1e18:  # a typo quoted back: short, exact enough
        text = f"{value:.6g}"
        return text.replace(".", ",") if locale == "id_ID" else text
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    pattern = "#,##0.###" if abs(value) >= 10_000 else "0.###"
    return format_decimal(value, format=pattern, locale=locale)
