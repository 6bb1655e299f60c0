"""A throwaway PostgreSQL cluster for the test suite.

The suite needs a real server because the append-only guard and the library's PostgreSQL
recorder are SQL that only a real server can judge. Each pytest process (each xdist worker)
starts its own cluster in a temporary directory, so workers never share state or ports, and
nothing outside the temporary directory is touched: the server listens on 127.0.0.1 only and
keeps its socket in that directory.

initdb refuses to run as root, and CI runs as root, so the cluster then belongs to an
unprivileged OS user (``postgres`` when the Debian package made one, else ``monevtest``) and
every server command runs through ``runuser``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

SUPPORTED_MAJOR = 15
FALLBACK_OS_USER = "monevtest"
ADMIN_ROLE = "monev_admin"
APP_ROLE = "monev"
START_ATTEMPTS = 3
START_TIMEOUT_SECONDS = 60

# Durability is worthless for a cluster deleted at the end of the run; these make it fast.
SERVER_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
    "shared_buffers": "32MB",
    "max_connections": "60",
    "max_wal_size": "256MB",
    "logging_collector": "off",
    "log_min_messages": "warning",
    "timezone": "'UTC'",
}


class PostgresUnavailableError(RuntimeError):
    """The throwaway server could not be found or started; the message says why."""


def find_bin_dir() -> Path:
    """Finds a directory holding initdb and pg_ctl of PostgreSQL 15 or later.

    Debian's package puts the binaries in /usr/lib/postgresql/<major>/bin, off PATH, so both
    places are searched; PATH wins so a developer can point the suite at another build.
    """
    candidates: list[Path] = []
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
        candidates.append(Path(on_path).parent)
    versioned = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates.extend(versioned)
    tried: list[str] = []
    for directory in candidates:
        if not ((directory / "initdb").is_file() and (directory / "pg_ctl").is_file()):
            tried.append(f"{directory} (no initdb and pg_ctl)")
            continue
        major = _major_version(directory / "initdb")
        if major is not None and major >= SUPPORTED_MAJOR:
            return directory
        tried.append(f"{directory} (version {major})")
    msg = (
        f"No PostgreSQL {SUPPORTED_MAJOR}+ initdb/pg_ctl found on PATH or in "
        f"/usr/lib/postgresql/*/bin; run `bash scripts/system-deps.sh`. Tried: {tried or 'none'}"
    )
    raise PostgresUnavailableError(msg)


def _major_version(initdb: Path) -> int | None:
    result = subprocess.run([str(initdb), "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"(\d+)(?:\.\d+)?", result.stdout)
    return int(match.group(1)) if match else None


def free_port() -> int:
    """Asks the kernel for a port that is free right now.

    Another process may take it before the server binds, so ``start`` retries on a new port.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_os_user() -> str | None:
    """Returns the unprivileged user to run the server as, or None when not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", FALLBACK_OS_USER):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    # Two xdist workers may race here; the loser's useradd fails but the user then exists.
    result = subprocess.run(
        [
            "useradd",
            "--system",
            "--user-group",
            "--no-create-home",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            FALLBACK_OS_USER,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        pwd.getpwnam(FALLBACK_OS_USER)
    except KeyError:
        msg = f"Could not create OS user {FALLBACK_OS_USER!r}: {result.stderr.strip()}"
        raise PostgresUnavailableError(msg) from None
    return FALLBACK_OS_USER


@dataclass
class PostgresServer:
    """One running cluster; ``start`` and ``stop`` bracket its life."""

    bin_dir: Path
    os_user: str | None
    base_dir: Path
    port: int = 0
    admin_password: str = field(default_factory=lambda: secrets.token_hex(16))
    app_password: str = field(default_factory=lambda: secrets.token_hex(16))
    host: str = "127.0.0.1"

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def socket_dir(self) -> Path:
        return self.base_dir / "socket"

    @property
    def log_file(self) -> Path:
        return self.base_dir / "server.log"

    @classmethod
    def create(cls) -> PostgresServer:
        """Prepares (but does not start) a cluster in a new temporary directory."""
        bin_dir = find_bin_dir()
        os_user = ensure_os_user()
        # /tmp itself, not pytest's per-user 0700 directory, which the server user can't enter.
        base_dir = Path(tempfile.mkdtemp(prefix="monev-pg-"))
        server = cls(bin_dir=bin_dir, os_user=os_user, base_dir=base_dir)
        server.socket_dir.mkdir()
        if os_user is not None:
            entry = pwd.getpwnam(os_user)
            for path in (base_dir, server.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        return server

    def _run(
        self, args: Sequence[str], *, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.os_user is not None:
            command = ["runuser", "-u", self.os_user, "--", *command]
        env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PGTZ": "UTC"}
        return subprocess.run(
            command,
            cwd=self.base_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def _write_owned(self, path: Path, text: str) -> None:
        path.write_text(text)
        path.chmod(0o600)
        if self.os_user is not None:
            entry = pwd.getpwnam(self.os_user)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def init(self) -> None:
        """Runs initdb: password auth over TCP, trust only on the private socket directory."""
        if self.os_user is not None:
            probe = self._run(["pg_ctl", "--version"])
            if probe.returncode != 0:
                msg = (
                    f"User {self.os_user!r} cannot run {self.bin_dir}/pg_ctl in "
                    f"{self.base_dir}: {probe.stderr.strip()}"
                )
                raise PostgresUnavailableError(msg)
        password_file = self.base_dir / "admin-password"
        self._write_owned(password_file, self.admin_password + "\n")
        result = self._run(
            [
                "initdb",
                "--pgdata",
                str(self.data_dir),
                "--username",
                ADMIN_ROLE,
                "--pwfile",
                str(password_file),
                "--auth-host",
                "scram-sha-256",
                "--auth-local",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C",
                "--no-sync",
                "--no-instructions",
            ]
        )
        password_file.unlink()
        if result.returncode != 0:
            msg = f"initdb failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
            raise PostgresUnavailableError(msg)
        settings = "".join(f"{key} = {value}\n" for key, value in SERVER_SETTINGS.items())
        settings += f"unix_socket_directories = '{self.socket_dir}'\n"
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("\n# monev test suite\n" + settings)

    def start(self) -> None:
        """Starts the server, retrying on a new port when another process took ours."""
        failures: list[str] = []
        for _ in range(START_ATTEMPTS):
            self.port = free_port()
            log_offset = self.log_file.stat().st_size if self.log_file.exists() else 0
            result = self._run(
                [
                    "pg_ctl",
                    "start",
                    "--pgdata",
                    str(self.data_dir),
                    "--log",
                    str(self.log_file),
                    "--wait",
                    "--timeout",
                    str(START_TIMEOUT_SECONDS),
                    "--options",
                    f"-c port={self.port}",
                ],
                timeout=START_TIMEOUT_SECONDS + 30,
            )
            if result.returncode == 0:
                self._create_app_role()
                return
            failures.append(f"port {self.port}: {result.stdout.strip()} {result.stderr.strip()}")
            self.stop_server()
            if "Address already in use" not in self._log_since(log_offset):
                break
        msg = (
            "PostgreSQL did not start:\n"
            + "\n".join(failures)
            + f"\n--- tail of {self.log_file} ---\n"
            + self.log_tail()
        )
        raise PostgresUnavailableError(msg)

    def _log_since(self, offset: int) -> str:
        try:
            with self.log_file.open("rb") as log:
                log.seek(offset)
                return log.read().decode(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except OSError as error:
            return f"(no server log: {error})"
        return "\n".join(text.splitlines()[-lines:])

    def admin_connect(self, dbname: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=ADMIN_ROLE,
            password=self.admin_password,
            dbname=dbname,
            autocommit=True,
            connect_timeout=10,
        )

    def _create_app_role(self) -> None:
        """An ordinary role, like production's, so privilege mistakes show up in tests."""
        with self.admin_connect() as conn:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(APP_ROLE), sql.Literal(self.app_password)
                )
            )

    def create_database(self, name: str | None = None) -> str:
        """Creates an empty database owned by the application role and returns its name."""
        name = name or f"monev_{uuid.uuid4().hex[:16]}"
        with self.admin_connect() as conn:
            conn.execute(
                # FILE_COPY halves the time of the default WAL_LOG for a tiny template.
                sql.SQL("CREATE DATABASE {} OWNER {} STRATEGY FILE_COPY").format(
                    sql.Identifier(name), sql.Identifier(APP_ROLE)
                )
            )
        return name

    def drop_database(self, name: str) -> None:
        """Drops a database even if a forgotten application still holds connections to it."""
        with self.admin_connect() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def settings(self, dbname: str) -> dict[str, str]:
        """The eventsourcing library's persistence settings for one database."""
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": APP_ROLE,
            "POSTGRES_PASSWORD": self.app_password,
        }

    def stop_server(self) -> None:
        """Stops the server at once; the data is thrown away, so no clean shutdown is needed."""
        if not (self.data_dir / "postmaster.pid").exists():
            return
        result = self._run(
            ["pg_ctl", "stop", "--pgdata", str(self.data_dir), "--mode", "immediate", "--wait"],
            timeout=60,
        )
        if result.returncode != 0:
            # pg_ctl failed: signal the postmaster we started directly (SIGQUIT = immediate).
            with contextlib.suppress(OSError, ValueError, IndexError):
                pid_text = (self.data_dir / "postmaster.pid").read_text().splitlines()[0]
                os.kill(int(pid_text), signal.SIGQUIT)

    def stop(self) -> None:
        """Stops the server and deletes the cluster."""
        try:
            self.stop_server()
        finally:
            shutil.rmtree(self.base_dir, ignore_errors=True)


def start_server() -> PostgresServer:
    """Creates, initialises and starts a cluster; on failure cleans up and raises."""
    server = PostgresServer.create()
    try:
        server.init()
        server.start()
    except BaseException:
        server.stop()
        raise
    return server
