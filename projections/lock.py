"""One refresh at a time per data directory, across processes.

Two refreshes would both open the projection's file for writing (DuckDB refuses the second)
and could publish out of order, so a stamp's data-as-of could go backwards. An advisory lock
on a file beside the projection serialises them: a second refresh waits for the first. The
kernel releases the lock when its holder exits, however it exits, so a killed refresh never
leaves the directory locked.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


class LockTimeoutError(TimeoutError):
    """Another refresh held the lock for longer than we were willing to wait."""


@contextmanager
def refresh_lock(
    path: Path,
    *,
    timeout: float | None = None,
    on_wait: Callable[[], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Iterator[None]:
    """Holds an exclusive lock on ``path`` for the duration of the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = None if timeout is None else time.monotonic() + timeout
        warned = False
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if on_wait is not None and not warned:
                    on_wait()
                    warned = True
                if deadline is not None and time.monotonic() > deadline:
                    msg = f"Another refresh holds {path}; gave up after {timeout:.0f} s."
                    raise LockTimeoutError(msg) from None
                if should_stop is not None and should_stop():
                    raise InterruptedError("Stopped while waiting for another refresh.") from None
                time.sleep(0.1)
        yield
    finally:
        os.close(descriptor)
