"""``monev doctor``: the effective configuration, and what is wrong with it, in plain words.

An operator who sets monev up on a server, or wonders why the dashboard shows old numbers,
needs one command that answers: which settings are in force and where each came from; can
the event store be reached, and is it guarded; are the pinned DuckDB and dbt installed; how
old is the published warehouse and how far behind the store is it. Every check turns what it
finds into a sentence that says what to do; nothing here changes anything.

Findings are *problems* (monev cannot work as configured: exit code 1) or *warnings* (it works,
but something deserves a look: exit code 0).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

import psycopg

from eventstore.append_only import PG_ROW_TRIGGER, SQLITE_EVENTS_TABLE
from eventstore.postgres_roles import table_privileges
from eventstore.settings import (
    CONFIG_ENV,
    DEFAULT_HOME,
    ConfigFileError,
    Settings,
    config_file_path,
    leftover_recorder_setting,
    read_config_file,
)
from eventstore.stores import (
    PostgresTarget,
    StoreSummary,
    events,
    postgres_count,
    postgres_has_events_table,
    sqlite_connect,
    sqlite_count,
)

Level = Literal["ok", "warning", "problem"]

# The settings monev reads, in the order shown; POSTGRES_* follow when present.
SETTINGS_SHOWN = (
    (CONFIG_ENV, ""),
    ("MONEV_HOME", DEFAULT_HOME),
    ("MONEV_EVENT_STORE", "sqlite"),
    ("MONEV_USER", ""),
    ("MONEV_USERS_FILE", "$MONEV_HOME/users.toml"),
    ("MONEV_POLL_SECONDS", "2"),
    ("MONEV_DASHBOARD_HOST", "127.0.0.1"),
    ("MONEV_DASHBOARD_PORT", "8501"),
    ("MONEV_DASHBOARD_PUBLIC_READ", "0"),
    ("MONEV_DASHBOARD_TRUST_PROXY", "0"),
    ("MONEV_SESSIONS_FILE", "$MONEV_HOME/sessions.sqlite"),
    ("MONEV_LOCAL_ADMIN", "1"),
    ("PERSISTENCE_MODULE", ""),
)
SECRET_MARKERS = ("PASSWORD", "SECRET", "TOKEN")
PINNED = ("duckdb", "dbt-core", "dbt-duckdb", "eventsourcing", "psycopg", "streamlit")
WAREHOUSE_STALE_AFTER_EVENTS = 0


@dataclass(frozen=True)
class Finding:
    level: Level
    topic: str
    text: str


@dataclass(frozen=True)
class ConfigValue:
    name: str
    value: str
    source: str  # "environment", "monev.toml", "default" or "not set"


@dataclass
class Diagnosis:
    configuration: list[ConfigValue] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "problem"]

    @property
    def healthy(self) -> bool:
        return not self.problems

    def ok(self, topic: str, text: str) -> None:
        self.findings.append(Finding("ok", topic, text))

    def warn(self, topic: str, text: str) -> None:
        self.findings.append(Finding("warning", topic, text))

    def problem(self, topic: str, text: str) -> None:
        self.findings.append(Finding("problem", topic, text))


def mask(name: str, value: str) -> str:
    """Secrets are shown only as set or not, never their value or length."""
    if any(marker in name.upper() for marker in SECRET_MARKERS):
        return "******** (set)" if value else "(empty)"
    return value


def diagnose(env: Mapping[str, str] | None = None) -> Diagnosis:
    """Runs every check against the settings ``env`` (the process environment by default)."""
    look_in_cwd = env is None
    env = dict(os.environ if env is None else env)
    diagnosis = Diagnosis()
    file_values: dict[str, str] = {}
    config_file: Path | None = None
    try:
        config_file = config_file_path(env, look_in_cwd=look_in_cwd)
        if config_file is not None:
            file_values = read_config_file(config_file)
        settings = Settings.from_env(env) if not look_in_cwd else Settings.from_env()
    except (ConfigFileError, ValueError) as error:
        diagnosis.configuration = _configuration(env, file_values, config_file)
        diagnosis.problem("configuration", f"The configuration cannot be read: {error}")
        return diagnosis
    diagnosis.configuration = _configuration(env, file_values, config_file)
    leftover = leftover_recorder_setting(env)
    if leftover is not None:
        diagnosis.warn(
            "configuration",
            f"{leftover} is no longer needed (monev chooses its own recorder); remove it.",
        )
    if config_file is not None:
        diagnosis.ok("configuration", f"Settings file {config_file} read.")
        _check_config_file_secrets(diagnosis, config_file, file_values)
    _check_versions(diagnosis)
    store = _check_event_store(diagnosis, settings, env)
    _check_warehouse(diagnosis, settings, store)
    _check_home_and_users(diagnosis, settings)
    _check_dashboard(diagnosis, settings, env)
    return diagnosis


def _configuration(
    env: Mapping[str, str], file_values: Mapping[str, str], config_file: Path | None
) -> list[ConfigValue]:
    names = [name for name, _ in SETTINGS_SHOWN]
    defaults = dict(SETTINGS_SHOWN)
    postgres = sorted({k for k in (*env, *file_values) if k.startswith("POSTGRES_")})
    shown: list[ConfigValue] = []
    for name in (*names, *postgres):
        if name in env:
            value, source = env[name], "environment"
        elif name in file_values:
            value, source = file_values[name], config_file.name if config_file else "file"
        elif defaults.get(name):
            value, source = defaults[name], "default"
        else:
            value, source = "", "not set"
        if name == CONFIG_ENV and config_file is not None and source == "not set":
            value, source = str(config_file), "found in working directory"
        shown.append(ConfigValue(name, mask(name, value), source))
    return shown


def _check_config_file_secrets(
    diagnosis: Diagnosis, path: Path, file_values: Mapping[str, str]
) -> None:
    secrets = [k for k in file_values if any(m in k for m in SECRET_MARKERS)]
    if secrets and path.stat().st_mode & 0o077:
        diagnosis.warn(
            "configuration",
            f"{path} holds {', '.join(secrets)} and other users may read it: "
            f"run `chmod 600 {path}`, or better, set the secret in the environment.",
        )


# -- versions ----------------------------------------------------------------------------


def _pins() -> dict[str, str]:
    """The versions pyproject.toml pins, as the installed monev package records them."""
    pins: dict[str, str] = {}
    try:
        requirements = metadata.requires("monev") or []
    except metadata.PackageNotFoundError:
        return pins
    for requirement in requirements:
        if ";" in requirement or "==" not in requirement:
            continue
        name, version = requirement.split("==", 1)
        pins[name.split("[", 1)[0].strip().lower()] = version.strip()
    return pins


def _check_versions(diagnosis: Diagnosis) -> None:
    pins = _pins()
    for package in PINNED:
        try:
            installed = metadata.version(package)
        except metadata.PackageNotFoundError:
            diagnosis.problem(
                "versions",
                f"{package} is not installed: reinstall monev with "
                "`pip install -c constraints.txt .`.",
            )
            continue
        diagnosis.versions[package] = installed
        pinned = pins.get(package)
        if pinned and pinned != installed:
            diagnosis.warn(
                "versions",
                f"{package} {installed} is installed but monev pins {pinned}: results may "
                "differ from the tested ones; reinstall with `pip install -c constraints.txt .`.",
            )
    if {"duckdb", "dbt-core", "dbt-duckdb"} <= diagnosis.versions.keys():
        diagnosis.ok(
            "versions",
            f"DuckDB {diagnosis.versions['duckdb']}, dbt {diagnosis.versions['dbt-core']} "
            f"with dbt-duckdb {diagnosis.versions['dbt-duckdb']}.",
        )


# -- event store -------------------------------------------------------------------------


def _check_event_store(
    diagnosis: Diagnosis, settings: Settings, env: Mapping[str, str]
) -> StoreSummary | None:
    if settings.event_store == "sqlite":
        return _check_sqlite(diagnosis, settings.sqlite_path)
    if settings.event_store == "postgres":
        return _check_postgres(diagnosis, settings, env)
    if settings.event_store == "memory":
        diagnosis.warn(
            "event store",
            "Events are kept in memory and lost when the process ends (MONEV_EVENT_STORE=memory).",
        )
        return None
    diagnosis.problem(
        "event store",
        f"MONEV_EVENT_STORE is {settings.event_store!r}; write sqlite or postgres.",
    )
    return None


def _check_sqlite(diagnosis: Diagnosis, path: Path) -> StoreSummary | None:
    if not path.is_file():
        diagnosis.warn(
            "event store",
            f"There is no event store at {path} yet; the first command creates it "
            "(try `monev demo`). If you expected one, check MONEV_HOME.",
        )
        return None
    try:
        with closing(sqlite_connect(path)) as conn:
            summary = sqlite_count(conn)
            triggers = {
                name
                for (name,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                    (SQLITE_EVENTS_TABLE,),
                )
            }
    except sqlite3.Error as error:
        diagnosis.problem("event store", f"The SQLite store {path} cannot be read: {error}.")
        return None
    diagnosis.ok(
        "event store",
        f"SQLite store {path}: {events(summary.event_count)}, last position "
        f"{summary.last_position}.",
    )
    if len(triggers) < 2:
        diagnosis.warn(
            "event store",
            "The append-only guard (triggers refusing UPDATE and DELETE) is missing; any monev "
            "command that records installs it.",
        )
    return summary


def _postgres_failure(target: PostgresTarget, error: psycopg.Error) -> str:
    kwargs = target.connect_kwargs
    text = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
    where = f"{kwargs['host']}:{kwargs['port']}"
    lowered = str(error).lower()
    if "password authentication failed" in lowered:
        return (
            f"PostgreSQL at {where} refused the password of user {kwargs['user']}: "
            "check POSTGRES_USER and POSTGRES_PASSWORD."
        )
    if "does not exist" in lowered and "database" in lowered:
        return (
            f"PostgreSQL at {where} has no database {kwargs['dbname']!r}: create it "
            "(see docs/deploying.md) or fix POSTGRES_DBNAME."
        )
    if "connection refused" in lowered or "could not connect" in lowered:
        return (
            f"Nothing answers at {where}: is PostgreSQL running, and are POSTGRES_HOST and "
            "POSTGRES_PORT right?"
        )
    if "timeout" in lowered:
        return f"PostgreSQL at {where} did not answer in time: check the host and firewall."
    return f"Cannot use PostgreSQL at {where}: {text}"


def _check_postgres(
    diagnosis: Diagnosis, settings: Settings, env: Mapping[str, str]
) -> StoreSummary | None:
    try:
        target = PostgresTarget.from_settings(settings.postgres)
    except ValueError as error:
        diagnosis.problem("event store", str(error))
        return None
    options: dict[str, Any] = {"autocommit": True, "connect_timeout": 5}
    kwargs = {**target.connect_kwargs, **options}
    try:
        with psycopg.connect(**kwargs) as conn:
            version_row = conn.execute("SHOW server_version").fetchone()
            has_table = postgres_has_events_table(conn, target)
            summary = postgres_count(conn, target) if has_table else None
            privileges = (
                table_privileges(conn, str(kwargs["user"]), target.schema, target.table)
                if has_table
                else {}
            )
            guarded = has_table and _pg_trigger_exists(conn, target)
            owner_row = conn.execute(
                "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c "
                "WHERE c.oid = to_regclass(%s)",
                (target.qualified.as_string(conn),),
            ).fetchone()
    except psycopg.Error as error:
        diagnosis.problem("event store", _postgres_failure(target, error))
        return None
    version = version_row[0] if version_row else "?"
    if summary is None:
        diagnosis.warn(
            "event store",
            f"Connected to PostgreSQL {version} at {target.description}, but there is no "
            "events table yet: start monev once as the database owner "
            "(`monev postgres-setup`) to create it.",
        )
        return None
    diagnosis.ok(
        "event store",
        f"PostgreSQL {version} at {target.description}: {events(summary.event_count)}, last "
        f"position {summary.last_position}.",
    )
    if not guarded:
        diagnosis.warn(
            "event store",
            "The append-only triggers are missing on the events table; start monev once as the "
            "table's owner to install them.",
        )
    owner = bool(owner_row and owner_row[0])
    may_change = privileges.get("UPDATE") or privileges.get("DELETE")
    if owner or may_change:
        diagnosis.warn(
            "event store",
            f"Role {kwargs['user']} may {'own' if owner else 'change'} the events table; in "
            "production run monev as a role that may only INSERT and SELECT "
            "(`monev postgres-setup`, see docs/deploying.md).",
        )
    elif not (privileges.get("INSERT") and privileges.get("SELECT")):
        diagnosis.problem(
            "event store",
            f"Role {kwargs['user']} may not INSERT and SELECT events: grant them with "
            "`monev postgres-setup` as the database owner.",
        )
    else:
        diagnosis.ok("event store", f"Role {kwargs['user']} may only INSERT and SELECT events.")
    return summary


def _pg_trigger_exists(conn: psycopg.Connection[Any], target: PostgresTarget) -> bool:
    row = conn.execute(
        "SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgname = %s",
        (target.qualified.as_string(conn), PG_ROW_TRIGGER),
    ).fetchone()
    return row is not None


# -- warehouse ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WarehouseState:
    published_at: datetime
    data_as_of: datetime | None
    last_position: int | None
    last_event_at: datetime | None
    mart_count: int


def warehouse_state(path: Path) -> WarehouseState:
    """What the published warehouse holds, read through a read-only connection.

    The refresh stamps each published file with one row in ``main.warehouse_meta`` (see
    ``projections.publish``); a file without the stamp is described from its event log.
    """
    import duckdb

    published = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    data_as_of = last_position = last_event_at = None
    with duckdb.connect(str(path), read_only=True) as con:
        tables = {
            (schema, name)
            for schema, name in con.execute(
                "SELECT table_schema, table_name FROM information_schema.tables"
            ).fetchall()
        }
        if ("main", "warehouse_meta") in tables:
            row = con.execute(
                "SELECT published_at, data_as_of, last_position, last_event_at "
                "FROM main.warehouse_meta LIMIT 1"
            ).fetchone()
            if row is not None:
                published, data_as_of, last_position, last_event_at = row
        elif ("events", "event_log") in tables:
            row = con.execute(
                "SELECT max(position), max(recorded_at) FROM events.event_log"
            ).fetchone()
            if row is not None:
                last_position, last_event_at = row
    marts = sum(1 for schema, _ in tables if schema == "marts")
    return WarehouseState(
        _utc(published) or published, _utc(data_as_of), last_position, _utc(last_event_at), marts
    )


def _utc(moment: datetime | None) -> datetime | None:
    """DuckDB hands TIMESTAMPTZ back in the session's zone; the report speaks UTC."""
    if moment is None:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _check_warehouse(diagnosis: Diagnosis, settings: Settings, store: StoreSummary | None) -> None:
    path = settings.warehouse_path
    if not path.is_file():
        diagnosis.warn(
            "warehouse",
            f"No published warehouse at {path} yet: run `monev refresh` (or keep "
            "`monev refresh --watch` running) to build it.",
        )
        return
    try:
        state = warehouse_state(path)
    except Exception as error:  # duckdb raises its own error types for a damaged file
        diagnosis.problem(
            "warehouse",
            f"The warehouse {path} cannot be opened read-only ({error}); run `monev rebuild`.",
        )
        return
    moment = state.data_as_of or state.last_event_at
    as_of = (
        f"data as of {moment:%Y-%m-%d %H:%M} UTC (position {state.last_position})"
        if moment
        else "no events projected"
    )
    diagnosis.ok(
        "warehouse",
        f"Warehouse {path} published {state.published_at:%Y-%m-%d %H:%M} UTC, {as_of}, "
        f"{state.mart_count} marts.",
    )
    if state.mart_count == 0:
        diagnosis.warn("warehouse", "The warehouse has no marts: run `monev refresh`.")
    if store is not None:
        behind = store.last_position - (state.last_position or 0)
        if behind > WAREHOUSE_STALE_AFTER_EVENTS:
            diagnosis.warn(
                "warehouse",
                f"The warehouse is {events(behind)} behind the event store: is "
                "`monev refresh --watch` running? Run `monev refresh` to catch up.",
            )
        elif behind < 0:
            diagnosis.problem(
                "warehouse",
                f"The warehouse has events up to position {state.last_position} but the store "
                f"only up to {store.last_position}: it was built from another store. "
                "Run `monev rebuild`.",
            )


# -- home, users, dashboard --------------------------------------------------------------


def _check_home_and_users(diagnosis: Diagnosis, settings: Settings) -> None:
    home = settings.home
    if home.exists() and not os.access(home, os.W_OK):
        diagnosis.problem(
            "data directory",
            f"MONEV_HOME {home} is not writable by this user: the refresh cannot publish.",
        )
    elif not home.exists():
        parent = next((p for p in home.absolute().parents if p.exists()), None)
        if parent is None or not os.access(parent, os.W_OK):
            diagnosis.problem(
                "data directory", f"MONEV_HOME {home} does not exist and cannot be created."
            )
    if not settings.users_path.is_file():
        diagnosis.warn(
            "users",
            f"No users file at {settings.users_path}: add users with `monev user add NAME "
            "--role admin` before anyone records or signs in.",
        )
    for secret in (settings.users_path, settings.home / "sessions.sqlite"):
        if secret.is_file() and secret.stat().st_mode & 0o077:
            diagnosis.warn(
                "users",
                f"{secret} (password hashes or sign-in sessions) is readable by other users: "
                f"run `chmod 600 {secret}`.",
            )


def _check_dashboard(
    diagnosis: Diagnosis, settings: Settings, env: Mapping[str, str] | None = None
) -> None:
    host = settings.dashboard_host
    _check_anonymous_exposure(diagnosis, settings, os.environ if env is None else env)
    if host not in ("127.0.0.1", "localhost", "::1") and not Path("/.dockerenv").exists():
        diagnosis.warn(
            "dashboard",
            f"The dashboard listens on {host}:{settings.dashboard_port}, reachable from other "
            "machines; put it behind a reverse proxy with TLS or set MONEV_DASHBOARD_HOST="
            "127.0.0.1.",
        )


def _check_anonymous_exposure(
    diagnosis: Diagnosis, settings: Settings, env: Mapping[str, str]
) -> None:
    """Anything that lets someone read reports, or spoof who they are, without signing in."""
    value = env.get("MONEV_DASHBOARD_PUBLIC_READ", "0").strip().lower()
    loopback = settings.dashboard_host in ("127.0.0.1", "localhost", "::1")
    if value in {"1", "true", "yes", "y", "on"}:
        text = (
            "MONEV_DASHBOARD_PUBLIC_READ is on: anyone who reaches the dashboard reads every "
            "report, staff user names in activity histories included, without signing in. A "
            "reverse proxy on this machine makes that everyone the proxy serves. Keep it for "
            "a local demo (`make run`) only: unset it for a deployment."
        )
        if loopback:
            diagnosis.warn("anonymous access", text)
        else:
            diagnosis.problem("anonymous access", text)
    elif value not in {"", "0", "false", "no", "n", "off"}:
        diagnosis.warn(
            "anonymous access",
            f"MONEV_DASHBOARD_PUBLIC_READ={value!r} is not 1 or 0; it is read as 0 (sign-in "
            "needed). Unset it.",
        )
    else:
        diagnosis.ok("anonymous access", "Reading the dashboard needs a sign-in.")
    trust = env.get("MONEV_DASHBOARD_TRUST_PROXY", "0").strip().lower()
    if trust in {"1", "true", "yes", "on"} and not loopback:
        diagnosis.warn(
            "anonymous access",
            "MONEV_DASHBOARD_TRUST_PROXY is on while the dashboard listens on "
            f"{settings.dashboard_host}: anyone reaching it directly can forge X-Forwarded-For "
            "and X-Forwarded-Proto. Trust the proxy only when the dashboard listens on "
            "127.0.0.1 behind it.",
        )
