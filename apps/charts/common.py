"""Altair charts with the readers' labels and number formats.

Vega-Lite formats numbers the English way; Indonesian readers write ``1.250,5``. Axis labels
therefore swap the marks with a label expression, and tooltips show text columns already
formatted by babel (``formatting.py``), so every number on screen reads the same way. Callers
pass titles already translated; nothing here reads the session.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

# Room for category labels, in pixels: agency codes like DISNAKERSOSTRANS in full.
LABELS = 220

# Swaps "," and "." of a d3-formatted number: 1,250.5 -> 1.250,5.
_SWAP = (
    "replace(replace(replace({value}, regexp(',', 'g'), '_'), regexp('\\\\.', 'g'), ','), "
    "regexp('_', 'g'), '.')"
)


def axis(
    title: str, lang: str, pattern: str = ",.0f", suffix: str = "", *, whole: bool = False
) -> alt.Axis:
    """An axis whose tick labels use the language's grouping and decimal marks.

    ``whole``: counts, ticked at whole numbers only (else 0,5 would be labelled 0 and 1 twice).
    """
    formatted = f"format(datum.value, '{pattern}')"
    expression = _SWAP.format(value=formatted) if lang == "id" else formatted
    if suffix:
        expression = f"{expression} + '{suffix}'"
    if whole:
        return alt.Axis(title=title, labelExpr=expression, tickMinStep=1)
    return alt.Axis(title=title, labelExpr=expression)


def band_bars(
    frame: pd.DataFrame,
    *,
    label: str,
    count: str,
    colour: str,
    order: Sequence[str],
    title: str,
    x_title: str,
    lang: str,
) -> alt.Chart:
    """Activities per band: each bar in its band's colour, and named, never colour alone."""
    return (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            y=alt.Y(f"{label}:N", sort=list(order), title=None),
            x=alt.X(f"{count}:Q", axis=axis(x_title, lang, whole=True)),
            color=alt.Color(f"{colour}:N", scale=None, legend=None),
            tooltip=[alt.Tooltip(f"{label}:N", title=title), alt.Tooltip(f"{count}:Q")],
        )
        .properties(height={"step": 26})
    )


def horizontal_bars(
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    x_title: str,
    lang: str,
    tooltip: Sequence[alt.Tooltip] = (),
    colour: str | None = None,
    pattern: str = ",.1f",
    suffix: str = "",
) -> alt.Chart:
    encoding: dict[str, object] = {
        "y": alt.Y(f"{category}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=LABELS)),
        "x": alt.X(f"{value}:Q", axis=axis(x_title, lang, pattern, suffix)),
        "tooltip": list(tooltip) or [alt.Tooltip(f"{category}:N")],
    }
    if colour:
        encoding["color"] = alt.Color(f"{colour}:N", scale=None, legend=None)
    return (
        alt.Chart(frame, title=title).mark_bar().encode(**encoding).properties(height={"step": 22})
    )


def lines(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    title: str,
    x_title: str,
    y_title: str,
    lang: str,
    pattern: str = ",.2f",
    tooltip: Sequence[alt.Tooltip] = (),
    x_sort: Sequence[str] | None = None,
) -> alt.Chart:
    """One line per series over the quarters (x holds quarter labels, sorted as given).

    Labels stay horizontal and the legend sits above: rotated labels and a legend below take
    their height from the plot, which Streamlit then squeezes to a sliver.
    """
    return (
        alt.Chart(frame, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                f"{x}:N",
                sort=list(x_sort) if x_sort else None,
                axis=alt.Axis(title=x_title, labelAngle=0, labelOverlap="greedy"),
            ),
            y=alt.Y(f"{y}:Q", axis=axis(y_title, lang, pattern)),
            # Two entries a row: one long row runs past a half-width chart and is cut off.
            color=alt.Color(f"{series}:N", title=None, legend=alt.Legend(orient="top", columns=2)),
            tooltip=list(tooltip) or [alt.Tooltip(f"{series}:N"), alt.Tooltip(f"{x}:N")],
        )
        .properties(height=300)
    )


def grouped_bars(
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    series: str,
    title: str,
    x_title: str,
    lang: str,
    colours: dict[str, str] | None = None,
    tooltip: Sequence[alt.Tooltip] = (),
) -> alt.Chart:
    """Side-by-side bars per category (e.g. open and overdue recommendations per OPD)."""
    colour = (
        alt.Color(
            f"{series}:N",
            title=None,
            scale=alt.Scale(domain=list(colours), range=list(colours.values())),
            legend=alt.Legend(orient="top"),
        )
        if colours
        else alt.Color(f"{series}:N", title=None, legend=alt.Legend(orient="top"))
    )
    return (
        alt.Chart(frame, title=title)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", title=None, axis=alt.Axis(labelLimit=LABELS)),
            yOffset=alt.YOffset(f"{series}:N"),
            x=alt.X(f"{value}:Q", axis=axis(x_title, lang, whole=True)),
            color=colour,
            tooltip=list(tooltip) or [alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{value}:Q")],
        )
        # One step per bar of a group: a fixed height would be shared out to slivers.
        .properties(height={"step": 14, "for": "offset"})
    )
