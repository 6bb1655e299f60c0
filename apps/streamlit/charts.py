"""The dashboard's charts: the specifications live in ``apps.charts``, shared with the report."""

from __future__ import annotations

from apps.charts.common import LABELS, axis, band_bars, grouped_bars, horizontal_bars, lines

__all__ = ["LABELS", "axis", "band_bars", "grouped_bars", "horizontal_bars", "lines"]
