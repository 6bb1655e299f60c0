"""Permendagri 86/2017 achievement bands as the readers see them: key, colour and mark.

The mark is a circle filled as far as the band goes (● full for *Sangat tinggi* down to ○ empty
for *Sangat rendah*): it reads in grey-scale print and for colour-blind eyes, and it comes from
Unicode's Geometric Shapes block, which ordinary text fonts (DejaVu Sans, Liberation, Noto
Sans) carry. Emoji (U+1F7E2, the green circle) need a colour-emoji font that a server's or a
kiosk's Chromium often lacks, and then show as an empty box.
"""

from __future__ import annotations

# Best first: key, colour (a colour-blind safe ramp).
BANDS: tuple[tuple[str, str], ...] = (
    ("sangat_tinggi", "#1a9850"),
    ("tinggi", "#91cf60"),
    ("sedang", "#fee08b"),
    ("rendah", "#fc8d59"),
    ("sangat_rendah", "#d73027"),
)
NO_BAND = ("none", "#bdbdbd")

BAND_MARKS: dict[str, str] = {
    "sangat_tinggi": "●",  # U+25CF
    "tinggi": "◕",  # U+25D5
    "sedang": "◑",  # U+25D1
    "rendah": "◔",  # U+25D4
    "sangat_rendah": "○",  # U+25CB
    "none": "◌",  # U+25CC
}


def band_key(band: object) -> str:
    """Normalises a mart's band value ("Sangat Tinggi", "sangat_tinggi") to a key of BANDS."""
    if band is None or (isinstance(band, float) and band != band):
        return NO_BAND[0]
    text = str(band).strip().lower().replace(" ", "_").replace("-", "_")
    return text if text in dict(BANDS) else NO_BAND[0]


def band_colour(band: object) -> str:
    return dict((*BANDS, NO_BAND)).get(band_key(band), NO_BAND[1])


def band_mark(band: object) -> str:
    return BAND_MARKS[band_key(band)]
