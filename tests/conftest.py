"""Suite-wide set-up: no telemetry, and a throwaway PostgreSQL server for tests that ask for it.

The server starts lazily, once per pytest process, the first time a test requests one of the
PostgreSQL fixtures, so runs that select no such test never pay for it. When it cannot start
the requesting tests fail with the reason: a skipped PostgreSQL test would let a broken CI
machine report green.
"""

from __future__ import annotations

import atexit
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from pg_server import PostgresServer, PostgresUnavailableError, start_server

# Speed is measured by the benchmarks, not by the tests: a property test that takes longer on a
# busy CI machine is no failure, so Hypothesis' per-example deadline is off for the whole suite.
settings.register_profile("monev", deadline=None)
settings.load_profile("monev")

# Set before anything is imported or spawned, so subprocesses (dbt, streamlit) inherit them.
os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
os.environ["DO_NOT_TRACK"] = "1"
os.environ["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
# monev speaks Indonesian unless asked otherwise, and the tests that want English ask; a
# developer's own MONEV_LANG must not change what the suite sees.
os.environ.pop("MONEV_LANG", None)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks every test that needs the server, so ``-m "not postgres"`` can leave them out."""
    for item in items:
        if "postgres_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """This process's own cluster; xdist workers each start one on their own free port."""
    try:
        server = start_server()
    except PostgresUnavailableError as error:
        pytest.fail(f"Throwaway PostgreSQL server unavailable: {error}", pytrace=False)
    # The fixture finaliser runs on failures too; atexit covers an interrupted session.
    atexit.register(server.stop)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_env(postgres_server: PostgresServer) -> dict[str, str]:
    """Persistence settings for one database shared by the whole session (per xdist worker)."""
    return postgres_server.settings(postgres_server.create_database("monev_test"))


@pytest.fixture
def fresh_postgres_env(postgres_server: PostgresServer) -> Iterator[dict[str, str]]:
    """Persistence settings for a new, empty database only this test sees."""
    name = postgres_server.create_database()
    yield postgres_server.settings(name)
    postgres_server.drop_database(name)


@pytest.fixture(scope="session")
def refreshed_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store, its users and a published warehouse: one full build of the real dbt
    project per test process, for every test that needs a refreshed demo to start from.
    Never used in place: ``refreshed_demo_home`` gives each test its own copy."""
    from apps.demo import demo_users, load_demo
    from apps.refresh import refresh
    from apps.users import save_users
    from eventstore.bootstrap import build_application
    from eventstore.settings import Settings

    config = Settings.from_env({}, home=tmp_path_factory.mktemp("refreshed-demo") / "home")
    app = build_application(config)
    try:
        load_demo(app)
    finally:
        app.close()
    save_users(config.users_path, demo_users())
    refresh(config)
    return config.home


@pytest.fixture
def refreshed_demo_home(refreshed_demo: Path, tmp_path: Path) -> Path:
    """A copy of ``refreshed_demo`` (store, projection, published warehouse, dbt's state): a
    refresh after new events builds on its warehouse, as it would at home."""
    home = tmp_path / "refreshed-demo"
    skip = shutil.ignore_patterns(".publishing", "refresh.lock")
    shutil.copytree(refreshed_demo, home, ignore=skip)
    return home
