"""Charts that the dashboard and the rakor report both show, with the shaping of their rows.

Each function takes the rows as the shared SQL returns them (``apps/charts/data.py``) and the
reader's language, and returns what is drawn, so a page and the report cannot drift apart.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from apps.charts import common
from apps.charts.bands import BANDS, NO_BAND, band_colour, band_key
from apps.streamlit import formatting as fmt
from apps.streamlit.i18n import translate


def band_table(counts: pd.DataFrame, quarter: str, previous: str, lang: str) -> pd.DataFrame:
    """Activities per band now and in the previous quarter (``data.BAND_COUNTS`` rows).

    One row per band, best first; "not evaluated" only when it has activities. Columns:
    ``key``, ``now``, ``before``, ``label`` and ``colour``.
    """
    counts = counts.assign(key=counts["band"].map(band_key))
    table = pd.DataFrame({"key": [key for key, _ in BANDS] + [NO_BAND[0]]})
    for code, column in ((quarter, "now"), (previous, "before")):
        per_band = counts[counts["quarter"] == code].groupby("key")["activity_count"].sum()
        table[column] = table["key"].map(per_band).fillna(0).astype(int)
    table = table[(table["now"] > 0) | (table["before"] > 0) | (table["key"] != NO_BAND[0])]
    table["label"] = [translate(f"band_{key}", lang) for key in table["key"]]
    table["colour"] = [band_colour(key) for key in table["key"]]
    return table.reset_index(drop=True)


def band_chart(table: pd.DataFrame, lang: str) -> alt.Chart:
    """Activities per band of the quarter, each bar in its band's colour and named."""
    return common.band_bars(
        table,
        label="label",
        count="now",
        colour="colour",
        order=list(table["label"]),
        title=translate("band_chart_title", lang),
        x_title=translate("kpi_activities", lang),
        lang=lang,
    )


def east_vs_rest(trend: pd.DataFrame, lang: str) -> alt.Chart:
    """Budget of the east against the rest over the quarters (``data.DISPARITY`` rows).

    Per capita when the population is known for the quarters shown, else in rupiah.
    """

    def t(key: str) -> str:
        return translate(key, lang)

    labels = [fmt.quarter_label(code, lang) for code in trend["quarter"]]
    has_population = bool((trend["kecamatan_with_population"].fillna(0) > 0).any())
    if has_population and trend["east_pagu_per_capita_rp"].notna().any():
        east, rest, y_title = (
            "east_pagu_per_capita_rp",
            "rest_pagu_per_capita_rp",
            t("per_capita") + " (Rp)",
        )
    else:
        east, rest, y_title = "east_pagu_rp", "rest_pagu_rp", t("budget") + " (Rp)"
    regions = pd.concat(
        [
            pd.DataFrame({"label": labels, "region": t("east"), "value": trend[east]}),
            pd.DataFrame({"label": labels, "region": t("rest"), "value": trend[rest]}),
        ]
    )
    regions["shown"] = [fmt.format_rupiah(v, lang) for v in regions["value"]]
    return common.lines(
        regions,
        x="label",
        y="value",
        series="region",
        title=t("east_vs_rest_chart"),
        x_title=t("quarter"),
        y_title=y_title,
        lang=lang,
        pattern=",.0f",
        x_sort=labels,
        tooltip=[
            alt.Tooltip("region:N", title=t("region")),
            alt.Tooltip("label:N", title=t("quarter")),
            alt.Tooltip("shown:N", title=t("value")),
        ],
    )
