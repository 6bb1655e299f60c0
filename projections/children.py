"""Helper processes (projection workers, the dbt worker) must not outlive the refresh."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time


def exit_with_parent(interval: float = 0.5) -> None:
    """Ends this process soon after its parent dies, however the parent died.

    A parent killed with SIGKILL runs no clean-up, and a pool worker blocked on its task queue
    would otherwise wait forever, holding the store open.
    """
    # The pid recorded when this process was started: the parent may already be gone.
    recorded = multiprocessing.parent_process()
    parent = recorded.pid if recorded is not None and recorded.pid else os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
