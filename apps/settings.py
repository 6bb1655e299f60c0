"""Configuration, read in one place.

Every setting comes from an environment variable with a documented default, so the embedded
set-up (SQLite event store, DuckDB warehouse under ``./data``) needs no configuration at all,
and production only sets variables. Nothing here connects to anything.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_HOME = "data"


@dataclass(frozen=True)
class Settings:
    """The effective configuration of one monev process."""

    home: Path
    event_store: str = "sqlite"  # "sqlite" | "postgres" | "memory"
    postgres: Mapping[str, str] = field(default_factory=dict)
    user: str | None = None
    users_file: Path | None = None
    poll_seconds: float = 2.0
    dashboard_host: str = "127.0.0.1"
    dashboard_port: int = 8501

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Builds settings from environment variables; keyword overrides win (for tests)."""
        env = os.environ if env is None else env
        home = Path(env.get("MONEV_HOME", DEFAULT_HOME)).expanduser()
        store = env.get("MONEV_EVENT_STORE", "")
        if not store:
            module = env.get("PERSISTENCE_MODULE", "")
            store = "postgres" if module.endswith("postgres") else "sqlite"
        postgres = {k: v for k, v in env.items() if k.startswith("POSTGRES_")}
        values: dict[str, object] = {
            "home": home,
            "event_store": store,
            "postgres": postgres,
            "user": env.get("MONEV_USER") or None,
            "users_file": Path(env["MONEV_USERS_FILE"]) if env.get("MONEV_USERS_FILE") else None,
            "poll_seconds": float(env.get("MONEV_POLL_SECONDS", "2")),
            "dashboard_host": env.get("MONEV_DASHBOARD_HOST", "127.0.0.1"),
            "dashboard_port": int(env.get("MONEV_DASHBOARD_PORT", "8501")),
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    @property
    def sqlite_path(self) -> Path:
        return self.home / "events.sqlite"

    @property
    def warehouse_path(self) -> Path:
        """The published, read-only warehouse: replaced whole by each refresh."""
        return self.home / "warehouse.duckdb"

    @property
    def users_path(self) -> Path:
        return self.users_file or self.home / "users.toml"

    def application_env(self) -> dict[str, str]:
        """The eventsourcing library's persistence settings for this store."""
        if self.event_store == "memory":
            return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        if self.event_store == "postgres":
            env = {"PERSISTENCE_MODULE": "eventsourcing.postgres"}
            env.update(self.postgres)
            return env
        if self.event_store == "sqlite":
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        msg = f"Unknown event store {self.event_store!r}: use 'sqlite' or 'postgres'."
        raise ValueError(msg)
