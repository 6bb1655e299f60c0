"""The project's own errors.

Every refusal of a command is one of these, with a message a person can act on. Callers (CLI,
dashboard, import) print ``str(error)`` as it is, so messages are whole sentences in plain words.
"""

from __future__ import annotations


class MonevError(Exception):
    """A command was refused; nothing was stored."""


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
    nothing, and ``Monev`` catches up with the store and runs the command again.
    """
