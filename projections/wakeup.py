"""Waiting for new events: a poll interval always, plus PostgreSQL's NOTIFY when available.

SQLite cannot push, so the watcher polls the store's head every interval. The library's
PostgreSQL recorder sends NOTIFY on its channel in every transaction that inserts events, so
there a listening thread wakes the watcher at once; the interval stays as a fallback, should
a notification be lost with a dropped connection.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from eventsourcing.persistence import ApplicationRecorder

logger = logging.getLogger(__name__)


class Waker:
    """Sleeps up to an interval, waking early on a notification or when stopping."""

    def __init__(self, stop: threading.Event) -> None:
        self._stop = stop
        self._nudged = threading.Event()
        self.listening = False

    def nudge(self) -> None:
        self._nudged.set()

    def wait(self, timeout: float) -> None:
        """Returns after ``timeout`` seconds, or sooner if nudged or stopped."""
        deadline = timeout
        step = 0.05
        while deadline > 0 and not self._stop.is_set():
            if self._nudged.wait(min(step, deadline)):
                break
            deadline -= step
        self._nudged.clear()

    def close(self) -> None:
        self._nudged.set()

    def __enter__(self) -> Waker:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class PostgresWaker(Waker):
    """Also listens on the recorder's NOTIFY channel in a background thread."""

    def __init__(self, stop: threading.Event, recorder: Any) -> None:
        super().__init__(stop)
        self._pg_recorder = recorder
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._listen_loop, name="monev-listen", daemon=True)
        self._ready = threading.Event()
        self._thread.start()
        self._ready.wait(10)

    def _listen_loop(self) -> None:
        from psycopg import sql

        channel = sql.Identifier(self._pg_recorder.channel_name)
        while not self._stopped.is_set():
            try:
                with self._pg_recorder.datastore.get_connection() as connection:
                    connection.execute(sql.SQL("LISTEN {0}").format(channel))
                    self.listening = True
                    self._ready.set()
                    while not self._stopped.is_set():
                        for _ in connection.notifies(timeout=0.25, stop_after=1):
                            self.nudge()
            except Exception as error:  # the interval still polls; retry the listener
                self.listening = False
                logger.warning("LISTEN on the event store failed (%s); polling only.", error)
                self._ready.set()
                self._stopped.wait(5)

    def close(self) -> None:
        self._stopped.set()
        super().close()
        self._thread.join(5)


def waker_for(recorder: ApplicationRecorder, stop: threading.Event) -> Waker:
    """A PostgreSQL recorder gets a listening waker; every other store polls only."""
    if hasattr(recorder, "channel_name") and hasattr(recorder, "datastore"):
        return PostgresWaker(stop, recorder)
    return Waker(stop)
