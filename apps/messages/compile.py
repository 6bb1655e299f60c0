"""Compiles the Indonesian catalogue, ``monev.po``, to the ``monev.mo`` the entry points read.

Run ``python -m apps.messages.compile`` after editing ``monev.po`` (``tests/unit/test_messages.py``
fails until it is run). Every command words its result line through the catalogue, and reading
the ``.po`` with babel cost each one about 40 ms (babel's catalogue machinery and the parse);
the standard library reads the compiled file in well under a millisecond. The ``.mo`` carries
the SHA-256 of the ``.po`` it was compiled from, so a stale one (a ``.po`` edited or merged
without compiling) is never used: ``apps.messages`` reads the ``.po`` instead.
"""

from __future__ import annotations

from hashlib import sha256
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from apps.messages import LOCALES, SOURCE_DIGEST_ID, catalogue_files


def compiled(po: bytes, locale: str) -> bytes:
    """The ``.mo`` of a ``.po``'s translated, non-fuzzy messages, plus the ``.po``'s digest."""
    catalog = read_po(BytesIO(po), locale=locale)
    catalog.add(SOURCE_DIGEST_ID, sha256(po).hexdigest())
    out = BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def compile_all() -> list[Path]:
    """Writes each language's ``.mo`` beside its ``.po``; returns the files written."""
    written = []
    for lang, locale in LOCALES.items():
        files = catalogue_files(lang)
        if files is None:
            continue
        po, mo = files
        Path(str(mo)).write_bytes(compiled(po.read_bytes(), locale))
        written.append(Path(str(mo)))
    return written


if __name__ == "__main__":
    for path in compile_all():
        print(f"compiled {path}")
