"""`monev dashboard`: serves the Streamlit app with safe defaults, whatever the working directory.

The server flags are passed on the command line rather than left to a ``.streamlit/config.toml``
because Streamlit reads that file from the current directory, so the defaults would silently
depend on where `monev dashboard` was started. What they guarantee:

- bound to ``MONEV_DASHBOARD_HOST`` (``127.0.0.1`` by default), headless, no browser opened;
- no usage statistics sent anywhere;
- no file watcher and no rerun on save (a server, not a development loop);
- error details hidden from users (``client.showErrorDetails = none``: tracebacks go to the
  server log only) and the developer menu hidden.

The app reads its settings from the environment like every other entry point; the server
process gets the effective settings as the same variables, so overrides made in this process
(tests, ``monev.toml``) reach it too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

from eventstore.settings import Settings

# The launcher holding ``st.App(app.py, routes=…)``: the app plus its sign-in routes.
APP = Path(__file__).resolve().parent / "streamlit" / "server.py"

SERVER_FLAGS: dict[str, str] = {
    "server.headless": "true",
    "server.fileWatcherType": "none",
    "server.runOnSave": "false",
    "browser.gatherUsageStats": "false",
    "client.showErrorDetails": "none",
    "client.toolbarMode": "viewer",
    "global.developmentMode": "false",
}


def command(settings: Settings) -> list[str]:
    """The `streamlit run` command line for these settings (also used by the browser tests)."""
    flags = {
        "server.address": settings.dashboard_host,
        "server.port": str(settings.dashboard_port),
        **SERVER_FLAGS,
    }
    args = [sys.executable, "-m", "streamlit", "run", str(APP)]
    for name, value in flags.items():
        args.append(f"--{name}={value}")
    return args


def environment(settings: Settings, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The server's environment: the caller's, plus the effective settings as variables."""
    env = dict(os.environ if base is None else base)
    env["MONEV_HOME"] = str(settings.home.resolve())
    env["MONEV_USERS_FILE"] = str(settings.users_path.resolve())
    env["MONEV_EVENT_STORE"] = settings.event_store
    env["MONEV_DASHBOARD_HOST"] = settings.dashboard_host
    env["MONEV_DASHBOARD_PORT"] = str(settings.dashboard_port)
    env.update(settings.postgres)
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    env.setdefault("DO_NOT_TRACK", "1")
    return env


def serve(settings: Settings) -> NoReturn:
    """Becomes the Streamlit server (this process is replaced, keeping its pid).

    A child server would outlive a parent stopped with SIGTERM (by systemd, docker or an
    operator's ``kill``) and keep the port; replaced in place, the server itself receives every
    signal, and Ctrl-C or SIGTERM stop it cleanly.
    """
    print(f"Dasbor monev: http://{settings.dashboard_host}:{settings.dashboard_port}", flush=True)
    os.execve(sys.executable, command(settings), environment(settings))
