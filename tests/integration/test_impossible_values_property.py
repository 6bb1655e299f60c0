"""Whatever is typed, through the CLI or in an imported file, the store never holds the impossible.

Hypothesis feeds the evaluation commands and the OPD name hostile numbers and texts (exponents,
infinities, NaN, 26-digit indicators, money above the pagu, control characters, invisible
names). After each example: a refusal stored nothing; an accepted command stored no non-finite
number, no control character and no activity whose cumulative financial realisation exceeds its
pagu. The same checks for the dashboard's Input form are in tests/e2e/test_dashboard_apptest.py.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from impossible_values import assert_nothing_impossible, numbers, texts
from typer.testing import CliRunner

from apps.cli import context
from apps.cli.main import app as cli
from apps.spreadsheets.importer import import_spreadsheet
from apps.spreadsheets.reading import ImportFileError
from apps.spreadsheets.rows import EVALUATIONS
from apps.users import User, save_users
from domain.actors import ADMIN, OPD, Actor
from domain.application import Monev
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

ADMIN_ACTOR = Actor("admin", ADMIN)
DISKOP = Actor("opd-diskopukm", OPD, "DISKOPUKM")
ACTIVITY = "A-UJI-01"
PAGU = 15_000_000  # the activity's ceiling (impossible_values tries amounts around it)
YEAR = 2018
EXAMPLES = 60


def seed(app: Monev) -> None:
    app.register_opd(ADMIN_ACTOR, code="DISKOPUKM", name="Dinas Koperasi dan Usaha Mikro")
    app.register_program(
        ADMIN_ACTOR, code="P-UJI", name="Program uji", opd_code="DISKOPUKM", fiscal_year=YEAR
    )
    app.register_activity(
        ADMIN_ACTOR, code=ACTIVITY, program_code="P-UJI", opd_code="DISKOPUKM", name="Uji",
        pagu_rp=PAGU, indicator_name="UMKM", indicator_unit="UMKM",
        indicator_kind="incremental", annual_target=40, quarterly_targets=[10, 10, 10, 10],
        kecamatan="Grati",
    )  # fmt: skip


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("impossible")
    application = build_application(Settings.from_env({}, home=home))
    seed(application)
    application.close()
    save_users(
        home / "users.toml",
        {
            "admin": User("admin", "Admin", ADMIN, None, None),
            "opd-diskopukm": User("opd-diskopukm", "Diskop", OPD, "DISKOPUKM", None),
        },
    )
    return home


@pytest.fixture
def runner(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MONEV_HOME", str(home))
    monkeypatch.setenv("MONEV_USER", "admin")
    monkeypatch.delenv("MONEV_USERS_FILE", raising=False)
    context.settings.cache_clear()
    context.application.cache_clear()
    yield CliRunner()
    context.settings.cache_clear()
    context.application.cache_clear()


def run_cli(runner: CliRunner, home: Path, args: list[str]) -> None:
    store = build_application(Settings.from_env({}, home=home))
    before = store.last_position()
    result = runner.invoke(cli, args)
    assert result.exit_code in (0, 1), (args, result.output, result.exception)
    if result.exit_code == 1:
        assert store.last_position() == before, "a refused command stored something"
        assert result.stderr.count("\n") == 1 and result.stdout == ""
    else:
        assert_nothing_impossible(store, before)
    store.close()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    quarter=st.integers(1, 4),
    physical=numbers,
    financial=numbers,
    indicator=numbers,
    drivers=texts,
)
def test_evaluations_through_the_cli_never_store_the_impossible(
    runner: CliRunner,
    home: Path,
    quarter: int,
    physical: str,
    financial: str,
    indicator: str,
    drivers: str,
) -> None:
    run_cli(
        runner,
        home,
        ["evaluation", "record", ACTIVITY, f"{YEAR}-Q{quarter}", f"--physical={physical}",
         f"--financial={financial}", f"--indicator={indicator}", f"--drivers={drivers}"],
    )  # fmt: skip


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=texts, short_name=texts, code=st.integers(0, 10**6))
def test_opd_names_through_the_cli_never_store_a_control_character(
    runner: CliRunner, home: Path, name: str, short_name: str, code: int
) -> None:
    run_cli(
        runner,
        home,
        ["opd", "register", f"OPD-{code}", f"--name={name}", f"--short-name={short_name}"],
    )


def evaluations_csv(rows: list[tuple[int, str, str, str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.label for c in EVALUATIONS.input_columns])
    for quarter, physical, financial, indicator, obstacles in rows:
        values = {
            "kode_kegiatan": ACTIVITY,
            "triwulan": f"{YEAR}-Q{quarter}",
            "realisasi_fisik_pct": physical,
            "realisasi_keuangan_rp": financial,
            "realisasi_indikator": indicator,
            "faktor_pendorong": "",
            "faktor_penghambat": obstacles,
        }
        writer.writerow([values.get(c.key, "") for c in EVALUATIONS.input_columns])
    return buffer.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def import_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Monev]:
    application = build_application(
        Settings.from_env({}, home=tmp_path_factory.mktemp("impossible-import"))
    )
    seed(application)
    yield application
    application.close()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(st.tuples(st.integers(1, 4), numbers, numbers, numbers, texts), min_size=1, max_size=3)
)
def test_an_imported_file_never_stores_the_impossible(
    import_app: Monev, rows: list[tuple[int, str, str, str, str]]
) -> None:
    before = import_app.last_position()
    try:
        report = import_spreadsheet(import_app, DISKOP, evaluations_csv(rows), filename="uji.csv")
    except ImportFileError as refusal:  # a file of binary data (NUL bytes) is no spreadsheet
        assert str(refusal) and import_app.last_position() == before
        return
    if report.ok:
        assert_nothing_impossible(import_app, before)
    else:
        assert import_app.last_position() == before, "a refused file stored something"
        assert all(problem.reason.strip() for problem in report.refused)
