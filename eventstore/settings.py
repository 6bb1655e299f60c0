"""Configuration, read in one place.

Every setting comes from an environment variable with a documented default, so the embedded
set-up (SQLite event store, DuckDB warehouse under ``./data``) needs no configuration at all,
and production only sets variables. Nothing here connects to anything.

A server may instead keep its settings in a ``monev.toml`` file: the one named by
``MONEV_CONFIG``, else ``./monev.toml`` when it exists (only when reading the process
environment, so tests that pass their own mapping stay hermetic). The file only supplies
defaults for the same environment variables, so an environment variable always wins and
there is still one set of names to document::

    home = "/srv/monev"            # MONEV_HOME; relative paths are relative to the file
    event_store = "postgres"       # MONEV_EVENT_STORE: sqlite | postgres | memory
    user = "admin"                 # MONEV_USER
    users_file = "users.toml"      # MONEV_USERS_FILE
    poll_seconds = 2               # MONEV_POLL_SECONDS

    [dashboard]
    host = "127.0.0.1"             # MONEV_DASHBOARD_HOST
    port = 8501                    # MONEV_DASHBOARD_PORT

    [postgres]                     # any key K becomes POSTGRES_<K>, e.g.
    host = "db.internal"           # POSTGRES_HOST
    port = 5432                    # POSTGRES_PORT
    dbname = "monev"               # POSTGRES_DBNAME
    user = "monev_app"             # POSTGRES_USER
    # password: keep it out of files; set POSTGRES_PASSWORD in the environment.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_HOME = "data"
CONFIG_ENV = "MONEV_CONFIG"
DEFAULT_CONFIG_FILE = "monev.toml"
# monev chooses its recorder itself; named by topic (the library's way to choose one) so that
# reading settings imports no database driver. eventstore.sqlite_recorder for SQLite;
# eventstore.postgres_roles' for PostgreSQL, whether the role is the owner or the application
# role (it locks through the owner's function, which the owner installs on each start).
SQLITE_RECORDER_TOPIC = "eventstore.sqlite_recorder:PositionCheckedSQLiteRecorder"
POSTGRES_RECORDER_TOPIC = "eventstore.postgres_roles:AppRoleRecorder"
# The library's setting, which earlier guides had operators export. A value naming one of
# monev's own recorders (where they live now or lived before) is left over from those guides:
# monev's own choice already honours it. Any other value is refused (see Settings.from_env).
RECORDER_TOPIC_ENV = "APPLICATION_RECORDER_TOPIC"
RECORDER_TOPIC_KEYS = (RECORDER_TOPIC_ENV, "MONEV_" + RECORDER_TOPIC_ENV)
MONEVS_OWN_RECORDERS = frozenset(
    f"{package}.{module}"
    for package in ("eventstore", "apps")
    for module in (
        "sqlite_recorder:PositionCheckedSQLiteRecorder",
        "postgres_recorder:PositionCheckedPostgresRecorder",
        "postgres_roles:AppRoleRecorder",
    )
)

# monev.toml keys and the environment variables they stand for.
_TOP_LEVEL_KEYS = {
    "home": "MONEV_HOME",
    "event_store": "MONEV_EVENT_STORE",
    "user": "MONEV_USER",
    "users_file": "MONEV_USERS_FILE",
    "poll_seconds": "MONEV_POLL_SECONDS",
}
_DASHBOARD_KEYS = {"host": "MONEV_DASHBOARD_HOST", "port": "MONEV_DASHBOARD_PORT"}
_PATH_KEYS = {"MONEV_HOME", "MONEV_USERS_FILE"}


class ConfigFileError(ValueError):
    """The configuration file is missing or unreadable, or a setting is unknown or refused."""


def config_file_path(env: Mapping[str, str], *, look_in_cwd: bool = True) -> Path | None:
    """The configuration file to read: ``MONEV_CONFIG``, else ``./monev.toml`` if present."""
    named = env.get(CONFIG_ENV, "").strip()
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            msg = f"{CONFIG_ENV} names {path}, but there is no such file."
            raise ConfigFileError(msg)
        return path
    default = Path(DEFAULT_CONFIG_FILE)
    return default if look_in_cwd and default.is_file() else None


def read_config_file(path: Path) -> dict[str, str]:
    """The file's settings as the environment variables they stand for (file values only)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        msg = f"Cannot read the configuration file {path}: {error.strerror or error}."
        raise ConfigFileError(msg) from None
    except tomllib.TOMLDecodeError as error:
        msg = f"The configuration file {path} is not valid TOML: {error}."
        raise ConfigFileError(msg) from None
    values: dict[str, str] = {}
    for key, value in data.items():
        if key in _TOP_LEVEL_KEYS:
            values[_TOP_LEVEL_KEYS[key]] = _as_text(path, key, value)
        elif key == "dashboard" and isinstance(value, dict):
            for sub, sub_value in value.items():
                if sub not in _DASHBOARD_KEYS:
                    raise _unknown(
                        path, f"dashboard.{sub}", [f"dashboard.{k}" for k in _DASHBOARD_KEYS]
                    )
                values[_DASHBOARD_KEYS[sub]] = _as_text(path, f"dashboard.{sub}", sub_value)
        elif key == "postgres" and isinstance(value, dict):
            for sub, sub_value in value.items():
                name = "POSTGRES_" + sub.upper()
                values[name] = _as_text(path, f"postgres.{sub}", sub_value)
        else:
            raise _unknown(path, key, [*_TOP_LEVEL_KEYS, "[dashboard]", "[postgres]"])
    for name in _PATH_KEYS & values.keys():
        values[name] = str((path.parent / Path(values[name]).expanduser()).resolve())
    return values


def _as_text(path: Path, key: str, value: object) -> str:
    if isinstance(value, bool):
        return "y" if value else "n"
    if isinstance(value, str | int | float):
        return str(value)
    msg = f"In {path}, '{key}' must be a string or a number, not {type(value).__name__}."
    raise ConfigFileError(msg)


def _unknown(path: Path, key: str, known: list[str]) -> ConfigFileError:
    return ConfigFileError(
        f"The configuration file {path} has an unknown setting '{key}'; "
        f"known settings are {', '.join(known)}."
    )


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
    config_file: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Builds settings from environment variables; keyword overrides win (for tests).

        A configuration file (see the module docstring) fills in what the environment leaves
        unset; ``./monev.toml`` is only looked for when reading the process environment.
        """
        look_in_cwd = env is None
        env = os.environ if env is None else env
        config_file = config_file_path(env, look_in_cwd=look_in_cwd)
        if config_file is not None:
            env = {**read_config_file(config_file), **env}
        check_recorder_setting(env)
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
            "config_file": config_file,
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
            return {**env, **_recorder(POSTGRES_RECORDER_TOPIC)}
        if self.event_store == "sqlite":
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": "30",
                **_recorder(SQLITE_RECORDER_TOPIC),
            }
        msg = f"Unknown event store {self.event_store!r}: use 'sqlite' or 'postgres'."
        raise ValueError(msg)


def _recorder(topic: str) -> dict[str, str]:
    """monev's recorder, under both names the library looks it up by, so that a value left in
    the process environment (which the library also reads) cannot stand in its place. Its
    write checks that nobody stored anything since the command's reads (domain.concurrency)."""
    return dict.fromkeys(RECORDER_TOPIC_KEYS, topic)


def check_recorder_setting(env: Mapping[str, str]) -> None:
    """Refuses a recorder named in the settings that is not monev's own.

    monev chooses its recorder itself; a recorder of someone else's choosing would lose the
    check that keeps commands off stale state, so it is refused rather than silently ignored.
    """
    for key in RECORDER_TOPIC_KEYS:
        value = env.get(key, "").strip()
        if value and value not in MONEVS_OWN_RECORDERS:
            msg = (
                f"{key}={value} names an event-store recorder, but monev chooses its own "
                f"(it checks every write against what the command read): remove {key} from "
                "the environment or the service's settings."
            )
            raise ConfigFileError(msg)


def leftover_recorder_setting(env: Mapping[str, str]) -> str | None:
    """The name of a recorder setting left over from older guides (harmless, but unneeded)."""
    return next((key for key in RECORDER_TOPIC_KEYS if env.get(key, "").strip()), None)
