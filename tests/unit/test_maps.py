"""The kecamatan maps: 24 features, the east outlined, words and numbers in Indonesian."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

from apps.charts import maps
from apps.charts.bands import BAND_MARKS
from domain.kecamatan import all_kecamatan

ROOT = Path(__file__).resolve().parents[2]
EAST = {"Nguling", "Grati", "Lekok", "Rejoso", "Winongan", "Lumbang"}


def _kecamatan_rows() -> pd.DataFrame:
    rows = []
    for index, kecamatan in enumerate(all_kecamatan()):
        rows.append(
            {
                "kecamatan_code": kecamatan.code,
                "kecamatan_name": kecamatan.name,
                "is_east": kecamatan.name in EAST,
                "service_region_name": "WP",
                "activity_count": index % 3,
                "pagu_rp": 1_250_000.0 * index,
                "financial_realisation_rp": 1_000.0 * index,
                "absorption_pct": None if index == 0 else 12.5 + index,
                "population": 50_000,
                "is_population_demo": True,
                "pagu_per_capita_rp": 1234.5 * index,
                "mentor_count": 1,
                "umkm_assisted": 3.5,
                "umkm_target": 4,
                "average_achievement_pct": None if index == 0 else 40 + 2.5 * index,
                "band": None if index == 0 else ("Sangat Tinggi" if index > 20 else "Rendah"),
                "band_en": None,
            }
        )
    return pd.DataFrame(rows)


def _coverage_rows() -> pd.DataFrame:
    rows = []
    for index, kecamatan in enumerate(all_kecamatan()):
        rows.append(
            {
                "kecamatan_code": kecamatan.code,
                "kecamatan_name": kecamatan.name,
                "is_east": kecamatan.name in EAST,
                "service_region_code": f"WP-{index % 6 + 1}",
                "service_region_name": f"Wilayah Pelayanan {index % 6 + 1}",
                "mentor_count": index % 3,
                "mentor_codes": ["", "M01", "M01, M17"][index % 3],
                "is_gap": index % 3 == 0,
                "is_doubled": index % 3 == 2,
                "dobel_mentor_count": 0,
            }
        )
    return pd.DataFrame(rows)


def _properties(spec: dict[str, object]) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    stack: list[object] = [spec]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("type") == "Feature":
                found.append(item["properties"])  # type: ignore[arg-type]
            else:
                stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


@pytest.mark.parametrize("measure", maps.MEASURE_KEYS)
def test_the_disparity_map_draws_all_24_kecamatan_for_every_measure(measure: str) -> None:
    spec = maps.disparity_map(_kecamatan_rows(), measure, "id", title="Peta").to_dict()
    assert maps.feature_count(spec) == maps.FEATURE_COUNT == 24
    text = json.dumps({key: value for key, value in spec.items() if key != "$schema"})
    assert '"url"' not in text and "http" not in text  # inline boundaries: nothing fetched
    assert "wilayah timur" in text  # the east outline is explained beside it


def test_the_disparity_map_tooltips_speak_indonesian_with_indonesian_numbers() -> None:
    spec = maps.disparity_map(_kecamatan_rows(), "pagu_per_capita", "id", title="Peta").to_dict()
    properties = {p["nama"]: p for p in _properties(spec)}
    assert len(properties) == 24
    assert properties["Grati"]["region_text"] == "Timur"
    assert properties["Gempol"]["region_text"] == "Lainnya"
    shown = [str(p["shown"]) for p in properties.values()]
    assert "Rp 1.234" in shown  # 1234.5 rounded half to even, grouped with a dot
    titles = json.dumps(spec)
    assert "Pagu per kapita" in titles and "Kecamatan" in titles
    absorption = maps.disparity_map(_kecamatan_rows(), "absorption", "id", title="Peta")
    values = {str(p["shown"]) for p in _properties(absorption.to_dict())}
    assert "13,5%" in values and "–" in values  # a decimal comma; no data is a dash


def test_the_east_is_outlined_with_a_thick_line() -> None:
    spec = maps.disparity_map(_kecamatan_rows(), "umkm", "id", title="Peta").to_dict()
    outlines = [
        layer
        for layer in spec["layer"]  # type: ignore[union-attr]
        if isinstance(layer, dict)
        and isinstance(layer.get("mark"), dict)
        and layer["mark"].get("filled") is False
    ]
    assert len(outlines) == 1
    assert outlines[0]["mark"]["strokeWidth"] >= 2
    assert "datum.properties.is_east" in json.dumps(outlines[0]["transform"])


def test_the_coverage_map_names_states_and_mentor_codes_beside_the_service_regions() -> None:
    spec = maps.coverage_map(_coverage_rows(), "id", title="Cakupan").to_dict()
    assert maps.feature_count(spec) == 24
    properties = _properties(spec)
    states = {str(p["state_text"]) for p in properties}
    assert states == {"kosong", "terisi", "dobel"}
    assert {"M01", "M01, M17", "–"} <= {str(p["mentors_text"]) for p in properties}
    text = json.dumps(spec)
    assert "Pendamping" in text  # the tooltip's title for the mentor codes
    assert len(spec["hconcat"]) == 2  # type: ignore[arg-type]
    assert "WP-1" in text  # each service region is named on its map


def test_an_unknown_measure_is_refused_in_plain_words() -> None:
    with pytest.raises(ValueError, match="Unknown map measure 'rainfall'"):
        maps.disparity_map(_kecamatan_rows(), "rainfall", "id", title="Peta")


def test_band_marks_need_no_emoji_font() -> None:
    """Geometric Shapes (U+25A0-U+25FF) are in ordinary text fonts; emoji need a colour font."""
    for mark in BAND_MARKS.values():
        assert len(mark) == 1 and 0x25A0 <= ord(mark) <= 0x25FF, mark
    assert len(set(BAND_MARKS.values())) == len(BAND_MARKS)


def test_the_dashboard_shows_no_emoji_that_a_font_less_chromium_draws_as_a_box() -> None:
    for path in sorted((ROOT / "apps").rglob("*.py")):
        text = path.read_text("utf-8")
        emoji = [ch for ch in text if ord(ch) >= 0x1F000]
        assert not emoji, (path, emoji)


def test_the_coverage_states_differ_in_grey_scale_print() -> None:
    """Kosong, dobel and terisi keep apart when printed without colour (luma, ITU-R BT.601)."""

    def luma(colour: str) -> float:
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.299 * red + 0.587 * green + 0.114 * blue

    greys = sorted(luma(colour) for _, colour in maps.COVERAGE_COLOURS)
    assert all(b - a >= 50 for a, b in pairwise(greys)), greys
