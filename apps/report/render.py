"""Charts drawn offline: the dashboard's Vega-Lite specifications through vl-convert.

vl-convert carries Vega and Vega-Lite inside its own engine, so nothing is fetched: no CDN
for the libraries and, with ``allowed_base_urls=[]``, no data or image by URL either (the
maps carry their boundaries inline). Text stays text in the SVG, so the PDF's chart labels
(kecamatan names, axis titles) can be searched and copied.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import vl_convert

# Altair's Vega-Lite schema, e.g. "v6.4.1" -> "6.4": the version the dashboard's browser runs.
VEGA_LITE = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


# The dashboard stretches a chart to its column; on paper a single view gets this width.
PAPER_WIDTH = 520


def on_paper(spec: dict[str, Any]) -> dict[str, Any]:
    """The specification with a fixed width where the dashboard lets the page decide it."""
    if "width" in spec or any(key in spec for key in ("hconcat", "vconcat", "concat")):
        return spec
    return {**spec, "width": PAPER_WIDTH}


def svg(spec: dict[str, Any]) -> str:
    return str(
        vl_convert.vegalite_to_svg(on_paper(spec), vl_version=VEGA_LITE, allowed_base_urls=[])
    )


def png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    """A raster for Word, which shows SVG only in recent versions: twice the size, for print."""
    return bytes(
        vl_convert.vegalite_to_png(
            on_paper(spec), vl_version=VEGA_LITE, scale=scale, allowed_base_urls=[]
        )
    )
