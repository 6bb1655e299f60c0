"""The ``eventsourcing`` release monev's recorders were written and tested against.

The recorders subclass the library's and use its public interface only (statements, datastore
transactions, ``insert_events``), but what those do (the lock an insert takes, how ids are
numbered) is what the store-position check relies on. A different minor release may change it,
so importing a recorder under one fails at once with a plain message instead of writing
unchecked. Move ``WRITTEN_FOR`` only after the store tests pass on the new release.
"""

from __future__ import annotations

from pathlib import Path

import eventsourcing

WRITTEN_FOR = (9, 5)  # major, minor: patch releases only fix bugs


class LibraryVersionError(ImportError):
    """The installed eventsourcing is not the release the recorders were written for."""


def installed_version() -> str:
    """The installed release, read from the name of its ``.dist-info`` directory.

    Every command pays for this check, and ``importlib.metadata`` costs about 15 ms to import
    (it parses metadata as e-mail). An installed wheel's record is named
    ``eventsourcing-<version>.dist-info`` beside the package (the packaging standard's layout);
    any other layout is asked of ``importlib.metadata``.
    """
    site = Path(eventsourcing.__file__).parent.parent
    found = [entry.name for entry in site.glob("eventsourcing-*.dist-info")]
    if len(found) == 1:
        return found[0].removeprefix("eventsourcing-").removesuffix(".dist-info")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("eventsourcing")
    except PackageNotFoundError:  # pragma: no cover - the library is a dependency
        return "none"


def is_supported(found: str) -> bool:
    parts = found.split(".")
    try:
        return (int(parts[0]), int(parts[1])) == WRITTEN_FOR
    except (IndexError, ValueError):
        return False


def check_library_version(found: str | None = None) -> None:
    """Raises ``LibraryVersionError`` unless eventsourcing ``WRITTEN_FOR`` is installed."""
    found = installed_version() if found is None else found
    if not is_supported(found):
        wanted = ".".join(map(str, WRITTEN_FOR))
        msg = (
            f"monev's event-store recorders were written for eventsourcing {wanted}.x, but "
            f"{found} is installed. Install the version pinned in constraints.txt, or check "
            "the recorders against the new release and move WRITTEN_FOR in "
            "eventstore/library_version.py."
        )
        raise LibraryVersionError(msg)
