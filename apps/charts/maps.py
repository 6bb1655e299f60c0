"""The regency drawn: kecamatan choropleths for *Disparitas wilayah* and *Satrya Emas*.

Boundaries come from the shipped reference file (``domain/reference/kecamatan_pasuruan.geojson``,
MIT, source in its README) and travel inside the chart specification as inline GeoJSON, so the
browser and vl-convert draw the maps without a tile server or any download.

Readable without colour: quantities use a sequential ramp whose lightness alone orders the
values (darker = more), the three coverage states differ in lightness as well as hue, every
kecamatan carries its name on the map, the eastern region is outlined in a thick black line,
and the legends name what each shade means. Tooltips speak the reader's language, with numbers
already formatted by babel (``formatting.py``) so they read ``Rp 1.234`` and ``60,0%``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

import altair as alt
import pandas as pd

from apps.charts.bands import BANDS, band_key
from apps.streamlit import formatting as fmt
from apps.streamlit.i18n import translate

FEATURE_COUNT = 24  # the kecamatan of Kabupaten Pasuruan
WIDTH, HEIGHT = 560, 400
PANEL_WIDTH, PANEL_HEIGHT = 420, 320
RAMP: Final = "yellowgreenblue"  # lightness falls monotonically: reads in grey-scale print
NO_DATA = "#f2f2f2"
# Room for legend text measured narrower than drawn. An object: Streamlit's frontend adds to
# its sides and fails on a plain number.
PADDING = {"left": 12, "right": 12, "top": 12, "bottom": 12}
BORDER = "#ffffff"
EAST_OUTLINE = "#000000"

# Coverage states, worst first; their grey values (≈72, 145, 230) differ as much as the hues.
COVERAGE_COLOURS = (("gap", "#b2182b"), ("doubled", "#e08214"), ("covered", "#d9f0d3"))
# Six service regions: nominal colours, each named on the map as well as in the legend.
REGION_COLOURS = ("#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462")


@dataclass(frozen=True)
class Measure:
    """A measure the disparity map can show: its column, words and how to write its values."""

    key: str
    column: str
    show: Callable[[Any, str], str]


MEASURES: tuple[Measure, ...] = (
    Measure("pagu_per_capita", "pagu_per_capita_rp", lambda v, lang: fmt.format_rupiah(v, lang)),
    Measure("absorption", "absorption_pct", lambda v, lang: fmt.format_percent(v, 1, lang)),
    Measure(
        "achievement", "average_achievement_pct", lambda v, lang: fmt.format_percent(v, 1, lang)
    ),
    Measure("umkm", "umkm_assisted", lambda v, lang: fmt.format_number(v, 1, lang)),
)
MEASURE_KEYS = tuple(measure.key for measure in MEASURES)


def measure(key: str) -> Measure:
    for candidate in MEASURES:
        if candidate.key == key:
            return candidate
    msg = f"Unknown map measure '{key}': choose one of {', '.join(MEASURE_KEYS)}."
    raise ValueError(msg)


@cache
def _boundaries_text() -> str:
    return (
        resources.files("domain.reference")
        .joinpath("kecamatan_pasuruan.geojson")
        .read_text("utf-8")
    )


def boundaries() -> list[dict[str, Any]]:
    """The 24 kecamatan features (a fresh copy: charts may be changed by their callers)."""
    features: list[dict[str, Any]] = json.loads(_boundaries_text())["features"]
    return features


def _features(rows: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """Each kecamatan's feature with the row's values added to its properties.

    Joined in Python on the Kemendagri code rather than with a Vega lookup, so every feature
    (also one without a row) is drawn, and the specification carries one dataset, not two.
    """
    by_code = {str(row["kecamatan_code"]): row for row in rows.to_dict("records")}
    features = boundaries()
    for feature in features:
        row = by_code.get(str(feature["properties"]["kode"]), {})
        for column in columns:
            value = row.get(column)
            feature["properties"][column] = None if _missing(value) else value
    return features


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and value != value


def _labels(data: alt.Data) -> alt.LayerChart | alt.FacetChart:
    """Each kecamatan's name at its label point, over a white halo so it reads on any shade."""
    base = alt.Chart(data).encode(
        longitude="properties.centroid_lng:Q",
        latitude="properties.centroid_lat:Q",
        text="properties.nama:N",
    )
    halo = base.mark_text(fontSize=8, stroke="white", strokeWidth=2.5, strokeJoin="round")
    return alt.layer(halo, base.mark_text(fontSize=8, color="#111111"))


def disparity_map(
    rows: pd.DataFrame, measure_key: str, lang: str, *, title: str
) -> alt.LayerChart | alt.FacetChart:
    """The chosen measure per kecamatan (``data.KECAMATAN_MAP`` rows), the east outlined.

    The achievement is shown by its Permendagri 86 band, named in the legend; money, rates
    and counts on a sequential ramp whose legend shows the values in the reader's format.
    """
    chosen = measure(measure_key)

    def t(key: str) -> str:
        return translate(key, lang)

    frame = rows.copy()
    frame["value"] = pd.to_numeric(frame[chosen.column], errors="coerce")
    frame["shown"] = [chosen.show(v, lang) for v in frame["value"]]
    frame["region_text"] = [t("east") if east else t("rest") for east in frame["is_east"]]
    frame["band_text"] = [
        translate(f"band_{band_key(b)}", lang) if not _missing(b) else fmt.MISSING
        for b in frame["band"]
    ]
    frame["budget_text"] = [fmt.format_rupiah(v, lang) for v in frame["pagu_rp"]]
    columns = ["value", "shown", "region_text", "band_text", "budget_text", "is_east"]
    data = alt.Data(values=_features(frame, columns))

    tooltip = [
        alt.Tooltip("properties.nama:N", title=t("kecamatan")),
        alt.Tooltip("properties.region_text:N", title=t("region")),
        alt.Tooltip("properties.shown:N", title=t(f"measure_{chosen.key}")),
        alt.Tooltip("properties.budget_text:N", title=t("budget")),
    ]
    if chosen.key == "achievement":
        tooltip.append(alt.Tooltip("properties.band_text:N", title=t("band")))
        names = [translate(f"band_{key}", lang) for key, _ in BANDS]
        # Darker = better, on the same ramp as the other measures: bands read in grey-scale.
        colour = alt.Color(
            "properties.band_text:N",
            title=t("band"),
            scale=alt.Scale(domain=names, scheme={"name": RAMP, "count": 5}, reverse=True),
            sort=names,
            legend=alt.Legend(orient="bottom", columns=3),
        )
    else:
        colour = alt.Color(
            "properties.value:Q",
            title=t(f"measure_{chosen.key}"),
            scale=alt.Scale(scheme=RAMP),
            legend=alt.Legend(
                orient="bottom",
                direction="horizontal",
                labelExpr=_legend_labels(chosen.key, lang),
                gradientLength=260,
            ),
        )
    outline = alt.Chart(data).mark_geoshape(stroke=BORDER, strokeWidth=0.8, fill=NO_DATA)
    shaded = (
        alt.Chart(data)
        .transform_filter("isValid(datum.properties.value)")
        .mark_geoshape(stroke=BORDER, strokeWidth=0.8)
        .encode(color=colour, tooltip=tooltip)
    )
    east = (
        alt.Chart(data)
        .transform_filter("datum.properties.is_east")
        .mark_geoshape(filled=False, stroke=EAST_OUTLINE, strokeWidth=2.2)
        .encode(tooltip=tooltip)
    )
    blank = (
        alt.Chart(data)
        .transform_filter("!isValid(datum.properties.value)")
        .mark_geoshape(stroke="#9e9e9e", strokeWidth=0.8, strokeDash=[2, 2], fill=NO_DATA)
        .encode(tooltip=tooltip)
    )
    return (
        alt.layer(outline, blank, shaded, east, _labels(data))
        .project("mercator")
        .properties(
            width=WIDTH,
            height=HEIGHT,
            title=alt.Title(
                title,
                subtitle=[t("map_east_note"), t("map_darker_note"), t("map_no_data_note")],
            ),
            padding=PADDING,
        )
    )


def _legend_labels(measure_key: str, lang: str) -> str:
    """The legend's numbers with the reader's marks (Vega-Lite writes them the English way)."""
    pattern = ",.0f" if measure_key in ("pagu_per_capita", "umkm") else ",.1f"
    formatted = f"format(datum.value, '{pattern}')"
    if lang == "id":
        formatted = (
            f"replace(replace(replace({formatted}, regexp(',', 'g'), '_'), "
            "regexp('\\\\.', 'g'), ','), regexp('_', 'g'), '.')"
        )
    if measure_key == "pagu_per_capita":
        return f"'Rp ' + {formatted}"
    if measure_key in ("absorption", "achievement"):
        return f"{formatted} + '%'"
    return formatted


def coverage_state(is_gap: object, is_doubled: object) -> str:
    """``gap`` (no mentor), ``doubled`` (two or more) or ``covered``: the page's three words."""
    if bool(is_gap):
        return "gap"
    return "doubled" if bool(is_doubled) else "covered"


def coverage_map(rows: pd.DataFrame, lang: str, *, title: str) -> alt.HConcatChart:
    """Mentor coverage per kecamatan (``data.MENTOR_COVERAGE`` rows) beside the service regions.

    Left: kosong / dobel / terisi, with each kecamatan's mentor codes in the tooltip. Right:
    the six service regions, each named on the map at the middle of its kecamatan.
    """

    def t(key: str) -> str:
        return translate(key, lang)

    frame = rows.copy()
    frame["state_text"] = [
        t(coverage_state(gap, doubled))
        for gap, doubled in zip(frame["is_gap"], frame["is_doubled"], strict=True)
    ]
    frame["region_text"] = frame["service_region_name"].fillna(fmt.MISSING)
    frame["region_code"] = frame["service_region_code"].fillna(fmt.MISSING)
    frame["mentors_text"] = [
        str(codes) if not _missing(codes) and str(codes) else fmt.MISSING
        for codes in frame["mentor_codes"]
    ]
    frame["count_text"] = [fmt.format_number(v, 0, lang) for v in frame["mentor_count"]]
    frame["east_text"] = [t("east") if east else t("rest") for east in frame["is_east"]]
    columns = [
        "state_text",
        "region_text",
        "region_code",
        "mentors_text",
        "count_text",
        "east_text",
        "is_east",
    ]
    data = alt.Data(values=_features(frame, columns))
    tooltip = [
        alt.Tooltip("properties.nama:N", title=t("kecamatan")),
        alt.Tooltip("properties.state_text:N", title=t("coverage")),
        alt.Tooltip("properties.count_text:N", title=t("mentor_count")),
        alt.Tooltip("properties.mentors_text:N", title=t("mentor_names")),
        alt.Tooltip("properties.region_text:N", title=t("service_region")),
        alt.Tooltip("properties.east_text:N", title=t("region")),
    ]
    states = [t(key) for key, _ in COVERAGE_COLOURS]
    coverage = (
        alt.Chart(data)
        .mark_geoshape(stroke=BORDER, strokeWidth=0.8)
        .encode(
            color=alt.Color(
                "properties.state_text:N",
                title=t("coverage"),
                scale=alt.Scale(domain=states, range=[colour for _, colour in COVERAGE_COLOURS]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=tooltip,
        )
    )
    east = (
        alt.Chart(data)
        .transform_filter("datum.properties.is_east")
        .mark_geoshape(filled=False, stroke=EAST_OUTLINE, strokeWidth=2.2)
        .encode(tooltip=tooltip)
    )
    left = (
        alt.layer(coverage, east, _labels(data))
        .project("mercator")
        .properties(
            width=PANEL_WIDTH,
            height=PANEL_HEIGHT,
            title=alt.Title(title, subtitle=[t("map_east_note"), t("map_coverage_note")]),
        )
    )

    names = sorted({str(v) for v in frame["region_text"]})
    regions = (
        alt.Chart(data)
        .mark_geoshape(stroke=BORDER, strokeWidth=0.8)
        .encode(
            color=alt.Color(
                "properties.region_text:N",
                title=t("service_region"),
                scale=alt.Scale(domain=names, range=list(REGION_COLOURS[: len(names)])),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=260),
            ),
            tooltip=tooltip,
        )
    )
    region_names = (
        alt.Chart(alt.Data(values=_region_points(frame)))
        .mark_text(fontSize=12, fontWeight="bold", color="#111111", stroke="white", strokeWidth=0.4)
        .encode(longitude="lng:Q", latitude="lat:Q", text="code:N")
    )
    right = (
        alt.layer(regions, region_names)
        .project("mercator")
        .properties(
            width=PANEL_WIDTH,
            height=PANEL_HEIGHT,
            title=alt.Title(t("map_regions_title"), subtitle=[t("map_regions_note")]),
        )
    )
    return alt.hconcat(left, right).resolve_scale(color="independent").properties(padding=PADDING)


def _region_points(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """One label point per service region: the middle of its kecamatan's label points."""
    points = {
        str(f["properties"]["kode"]): f["properties"]
        for f in json.loads(_boundaries_text())["features"]
    }
    grouped: dict[str, list[tuple[float, float]]] = {}
    for code, region in zip(frame["kecamatan_code"], frame["region_code"], strict=True):
        place = points.get(str(code))
        if place is None or region == fmt.MISSING:
            continue
        grouped.setdefault(str(region), []).append(
            (float(place["centroid_lng"]), float(place["centroid_lat"]))
        )
    return [
        {
            "code": region,
            "lng": sum(p[0] for p in spots) / len(spots),
            "lat": sum(p[1] for p in spots) / len(spots),
        }
        for region, spots in sorted(grouped.items())
    ]


def feature_count(spec: dict[str, Any]) -> int:
    """How many kecamatan features a map's specification carries (its largest inline dataset).

    For tests and for the report's check that a map is whole; it looks through the whole
    specification, since Altair (and Streamlit after it) may move inline data to ``datasets``.
    """
    best = 0
    stack: list[Any] = [spec]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            features = sum(
                1 for row in item if isinstance(row, dict) and row.get("type") == "Feature"
            )
            best = max(best, features)
            stack.extend(row for row in item if not isinstance(row, dict) or "type" not in row)
    return best
