"""The 24 kecamatan of Kabupaten Pasuruan, from the shipped reference list.

The list is data (``reference/kecamatan_pasuruan.csv``, with its source note), read once; the
domain only needs it to refuse codes that do not exist.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from domain.errors import InvalidInputError


@dataclass(frozen=True)
class Kecamatan:
    code: str  # Kemendagri code, e.g. 35.14.21
    bps_code: str
    name: str


@cache
def all_kecamatan() -> tuple[Kecamatan, ...]:
    text = resources.files("domain.reference").joinpath("kecamatan_pasuruan.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(Kecamatan(r["kode_kemendagri"], r["kode_bps"], r["nama"]) for r in rows)


def resolve_kecamatan(value: str) -> str:
    """Returns the Kemendagri code for a code (either system) or a name, or refuses it."""
    wanted = str(value).strip().casefold()
    if not wanted:
        raise InvalidInputError(
            "The kecamatan is empty: name one, or say explicitly that the record is regency-wide."
        )
    for kecamatan in all_kecamatan():
        if wanted in (kecamatan.code, kecamatan.bps_code, kecamatan.name.casefold()):
            return kecamatan.code
    raise InvalidInputError(
        "'{value}' is not a kecamatan of Kabupaten Pasuruan: use a Kemendagri code (35.14.01 to "
        "35.14.24), a BPS code or the name.",
        value=value,
    )


def kecamatan_name(code: str) -> str:
    for kecamatan in all_kecamatan():
        if kecamatan.code == code:
            return kecamatan.name
    return code
