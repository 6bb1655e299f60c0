"""Who the CLI records as: proved by a token or a password, never by MONEV_USER alone on
PostgreSQL; trusted in local-admin mode for the embedded store of the OS user's own home.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from operations_support import run_cli

from apps.users import User, hash_password, save_users
from domain.actors import ADMIN, OPD
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

PASSWORD = "sandi-operator-2017"


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD)


def users(home: Path, password_hash: str) -> None:
    save_users(
        home / "users.toml",
        {
            "admin": User("admin", "Admin", ADMIN, password_hash=password_hash),
            "opd-x": User("opd-x", "Operator", OPD, "DISX", password_hash=password_hash),
        },
    )


def last_actor(settings: Settings) -> tuple[int, str | None]:
    app = build_application(settings)
    try:
        position = app.last_position()
        if not position:
            return 0, None
        (notification,) = app.recorder.select_notifications(position, 1)
        return position, notification.state.decode() if notification.state else None
    finally:
        app.close()


def test_monev_user_alone_is_refused_on_postgresql_and_a_login_token_proves_it(
    fresh_postgres_env: dict[str, str], tmp_path: Path, password_hash: str
) -> None:
    users(tmp_path, password_hash)
    token_file = tmp_path / "config" / "monev" / "token"
    env = {
        **fresh_postgres_env,
        "MONEV_HOME": str(tmp_path),
        "MONEV_USER": "admin",
        "MONEV_TOKEN_FILE": str(token_file),
        "MONEV_LANG": "en",
    }
    settings = Settings.from_env(dict(fresh_postgres_env), home=tmp_path)
    register = ["opd", "register", "DISX", "--name", "Dinas X"]

    refused = run_cli(register, env)
    assert refused.exit_code == 1
    assert "Naming a user is not enough on a postgres store" in refused.output
    assert "monev login" in refused.output
    assert last_actor(settings)[0] == 0, "a refused command stores nothing"

    wrong = run_cli(["login", "--password-stdin"], env, stdin="bukan-sandinya\n")
    assert wrong.exit_code == 1 and not token_file.exists()
    signed_in = run_cli(["login", "--password-stdin"], env, stdin=PASSWORD + "\n")
    assert signed_in.exit_code == 0, signed_in.output
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600

    accepted = run_cli(register, env)
    assert accepted.exit_code == 0, accepted.output
    position, state = last_actor(settings)
    assert position == 1 and state is not None and '"user_id":"admin"' in state.replace(" ", "")

    as_someone_else = run_cli(register, {**env, "MONEV_USER": "opd-x"})
    assert as_someone_else.exit_code == 1
    assert "is admin's, not opd-x's" in as_someone_else.output

    signed_out = run_cli(["logout"], env)
    assert signed_out.exit_code == 0 and "revoked" in signed_out.output
    assert not token_file.exists()
    again = run_cli(["opd", "register", "DISY", "--name", "Dinas Y"], env)
    assert again.exit_code == 1
    assert last_actor(settings)[0] == 1


def test_a_revoked_token_in_the_environment_is_refused(
    fresh_postgres_env: dict[str, str], tmp_path: Path, password_hash: str
) -> None:
    from apps import sessions

    users(tmp_path, password_hash)
    store = sessions.sessions_path(tmp_path, {})
    token = sessions.create(store, "admin", "cli", lifetime=3600)
    env = {**fresh_postgres_env, "MONEV_HOME": str(tmp_path), "MONEV_TOKEN": token}
    env["MONEV_LANG"] = "en"
    assert run_cli(["opd", "register", "DISX", "--name", "Dinas X"], env).exit_code == 0
    sessions.revoke(store, token)
    refused = run_cli(["opd", "register", "DISY", "--name", "Dinas Y"], env)
    assert refused.exit_code == 1
    assert "expired or revoked" in refused.output


def test_local_admin_mode_trusts_the_owner_of_an_embedded_home_and_can_be_switched_off(
    tmp_path: Path, password_hash: str
) -> None:
    users(tmp_path, password_hash)
    env = {"MONEV_HOME": str(tmp_path), "MONEV_EVENT_STORE": "sqlite", "MONEV_USER": "admin"}
    env["MONEV_LANG"] = "en"
    register = ["opd", "register", "DISX", "--name", "Dinas X"]
    assert run_cli(register, env).exit_code == 0
    refused = run_cli(register, {**env, "MONEV_LOCAL_ADMIN": "0"})
    assert refused.exit_code == 1
    assert "Naming a user is not enough on a sqlite store" in refused.output


def test_on_a_shared_store_only_a_proved_admin_adds_users_once_one_exists(
    fresh_postgres_env: dict[str, str], tmp_path: Path, password_hash: str
) -> None:
    env = {
        **fresh_postgres_env,
        "MONEV_HOME": str(tmp_path),
        "MONEV_TOKEN_FILE": str(tmp_path / "token"),
    }
    add = ["user", "add", "bupati", "--role", "viewer", "--no-password"]
    first = run_cli(["user", "add", "admin", "--role", "admin", "--password-stdin"], env, PASSWORD)
    assert first.exit_code == 0, first.output  # the first admin: whoever may write the file
    refused = run_cli(add, env)
    assert refused.exit_code == 1
    assert "bupati" not in (tmp_path / "users.toml").read_text()
    login = run_cli(["login", "--password-stdin"], {**env, "MONEV_USER": "admin"}, PASSWORD)
    assert login.exit_code == 0, login.output
    accepted = run_cli(add, env)
    assert accepted.exit_code == 0, accepted.output
    assert "bupati" in (tmp_path / "users.toml").read_text()
