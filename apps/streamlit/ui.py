"""Pieces every page uses: the current view, words, URL-backed choices, KPIs and band badges.

The entry script (``app.py``) builds one ``View`` per run and leaves it in the session; pages
read it with ``view()`` instead of working out the quarter, language or visitor again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st

# Re-exported: the pages read the bands from here, as before they were shared with the report.
from apps.charts.bands import BANDS as BANDS
from apps.charts.bands import NO_BAND as NO_BAND
from apps.charts.bands import band_colour as band_colour
from apps.charts.bands import band_key, band_mark
from apps.streamlit import formatting as fmt
from apps.streamlit.auth import Visitor
from apps.streamlit.i18n import translate
from apps.streamlit.queries import Warehouse
from eventstore.settings import Settings

T = TypeVar("T")
VIEW_KEY = "_monev_view"


@dataclass(frozen=True)
class View:
    """What one run of the app shows: for whom, in which language, from which warehouse."""

    settings: Settings
    lang: str
    visitor: Visitor
    warehouse: Warehouse | None
    quarters: tuple[str, ...]
    quarter: str | None

    @property
    def previous_quarter(self) -> str | None:
        return fmt.previous_quarter(self.quarter) if self.quarter else None


def oidc_configured() -> bool:
    """st.login needs an ``[auth]`` section in Streamlit's secrets; without it, passwords only."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all is the common case
        return False


def view() -> View:
    found: View = st.session_state[VIEW_KEY]
    return found


def t(key: str, **values: object) -> str:
    """The text in the session's language (Bahasa Indonesia until the visitor switches)."""
    current = st.session_state.get(VIEW_KEY)
    lang = current.lang if isinstance(current, View) else "id"
    return translate(key, lang, **values)


def url_choice(
    label: str,
    options: Sequence[T],
    key: str,
    *,
    default: T | None = None,
    format_func: Callable[[Any], str] = str,
    container: Any = None,
    help: str | None = None,
) -> T | None:
    """A selectbox whose value lives in the URL (``?key=value``), so a view can be shared.

    The URL is read when the session first meets the key (a shared link) and written on every
    run, so it also follows page switches, which start with a clean URL.
    """
    if not options:
        # Kept in the URL: a shared link opened before signing in still holds its quarter.
        return None
    values = [str(option) for option in options]
    if key not in st.session_state or str(st.session_state[key]) not in values:
        wanted = st.query_params.get(key)
        if wanted not in values:
            wanted = str(default) if default is not None and str(default) in values else values[0]
        st.session_state[key] = options[values.index(wanted)]
    place = container if container is not None else st
    choice: T = place.selectbox(label, options, key=key, format_func=format_func, help=help)
    if st.query_params.get(key) != str(choice):
        st.query_params[key] = str(choice)
    return choice


def url_text(label: str, key: str, *, container: Any = None, **options: Any) -> str:
    """A text box whose value lives in the URL (``?key=value``) while it is not empty."""
    if key not in st.session_state:
        st.session_state[key] = str(st.query_params.get(key, ""))
    place = container if container is not None else st
    value = str(place.text_input(label, key=key, **options)).strip()
    if value and st.query_params.get(key) != value:
        st.query_params[key] = value
    elif not value and key in st.query_params:
        del st.query_params[key]
    return value


def band_label(band: object, lang: str | None = None) -> str:
    key = f"band_{band_key(band)}"
    return t(key) if lang is None else translate(key, lang)


def band_text(band: object, lang: str | None = None) -> str:
    """``● Sangat tinggi``: mark and name in one cell, cheap for tables of any length.

    The mark needs no emoji font (``apps/charts/bands.py``), so it never shows as a box.
    """
    return f"{band_mark(band)} {band_label(band, lang)}"


def band_badge(band: object) -> str:
    """Markdown for a band as colour *and* text, so it reads in print and for colour-blind eyes."""
    colour = {
        "sangat_tinggi": "green",
        "tinggi": "green",
        "sedang": "orange",
        "rendah": "red",
        "sangat_rendah": "red",
    }.get(band_key(band), "gray")
    return f":{colour}-badge[{band_label(band)}]"


def quarter_label(code: str | None) -> str:
    return fmt.quarter_label(code, view().lang) if code else "–"


def rupiah(value: object) -> str:
    return fmt.format_rupiah(value, view().lang)  # type: ignore[arg-type]


def percent(value: object, digits: int = 1) -> str:
    return fmt.format_percent(value, digits, view().lang)  # type: ignore[arg-type]


def number(value: object, digits: int = 0) -> str:
    return fmt.format_number(value, digits, view().lang)  # type: ignore[arg-type]


def page_header(title_key: str, **values: object) -> None:
    st.title(t(title_key, **values))


def require_data() -> View:
    """The view, or a friendly stop when there is no warehouse or no quarter to show."""
    current = view()
    if current.warehouse is None:
        st.info(t("no_warehouse"))
        st.stop()
    if current.quarter is None:
        st.info(t("no_quarters"))
        st.stop()
    return current


def empty_note(frame: Any) -> bool:
    """Says so when a query returned nothing; True when there is nothing to draw."""
    if frame is None or len(frame) == 0:
        st.info(t("no_rows"))
        return True
    return False
