"""The project's own errors.

Every refusal of a command is one of these. A refusal carries a *code* and *parameters*, not a
finished sentence, so each entry point (CLI, import report, dashboard) can word it in the
reader's language: Bahasa Indonesia first, English on request (``apps/messages``).

The code is the English wording with ``str.format`` placeholders, the way gettext uses the
source-language text as its message id: a raise site stays one readable line,
``raise NotFoundError("{what} '{key}' is not registered.", what=what, key=key)``, and ``str()``
of the error is the English sentence. Parameters whose value is itself a message id (the name of
a field, such as ``"Activity name"``) are translated too. Codes must be string literals: a test
walks every raise site in ``domain/`` and checks that each code has its Indonesian wording.
"""

from __future__ import annotations

from typing import Any


class MonevError(Exception):
    """A command was refused; nothing was stored."""

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params = params
        shown = {key: _plain(value) for key, value in params.items()}
        super().__init__(code.format(**shown) if params else code)


def _plain(value: Any) -> Any:
    """Whole floats without their ``.0`` (a target of 400, not 400.0) in the English text."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return int(value)
    return value


class InvalidInputError(MonevError, ValueError):
    """A value is outside what is possible or allowed (a percentage over 100, a bad code)."""


class NotFoundError(MonevError, LookupError):
    """The command names something that was never registered."""


class DuplicateError(MonevError):
    """The code, assignment or meeting is already recorded."""


class PermissionDeniedError(MonevError, PermissionError):
    """The actor's role or agency does not allow the command."""


class QuarterClosedError(MonevError):
    """The quarter was closed after its rakor; only explicit corrections are accepted."""


class ActivityMergedError(MonevError):
    """The activity was merged into a joint activity and takes no new records."""


class ConflictError(MonevError):
    """The command contradicts the current state (a finished recommendation, a missing rakor)."""


class StoreMovedError(Exception):
    """Another writer stored events after the position a command's checks were made at.

    Not a refusal: the event store raises it inside the write transaction, which then stores
    nothing, and the command runs again on newer state (``domain.concurrency``).
    """
