"""The command line as staff use it every day: Indonesian first, impossible values refused,
small frictions gone. Each refusal exits 1 with one line on stderr and stores nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apps.cli import context
from apps.cli.main import app
from apps.demo import demo_users, load_demo
from apps.users import load_users, save_users, verify_password
from eventstore.bootstrap import build_application
from eventstore.settings import Settings


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("daily")
    load_demo(build_application(Settings.from_env({}, home=home)))
    save_users(home / "users.toml", demo_users())
    return home


@pytest.fixture
def monev(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MONEV_HOME", str(home))
    monkeypatch.setenv("MONEV_USER", "admin")
    monkeypatch.delenv("MONEV_USERS_FILE", raising=False)
    monkeypatch.delenv("MONEV_LANG", raising=False)
    context.settings.cache_clear()
    context.application.cache_clear()
    yield CliRunner()
    context.settings.cache_clear()
    context.application.cache_clear()


def position(home: Path) -> int:
    return build_application(Settings.from_env({}, home=home)).last_position()


def refused(monev: CliRunner, home: Path, *args: str) -> str:
    """Runs a command that must be refused: exit 1, one line on stderr, nothing stored."""
    before = position(home)
    result = monev.invoke(app, list(args))
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert position(home) == before
    return result.stderr.strip()


CORRECT = ["evaluation", "correct", "A-DISKOP-01", "2017-Q4", "--reason", "Uji"]


def test_refusals_are_in_indonesian_by_default_and_english_on_request(
    monev: CliRunner, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["activity", "show", "A-TIDAK-ADA"]
    assert refused(monev, home, *args) == "Ditolak: Kegiatan 'A-TIDAK-ADA' belum terdaftar."
    english = "Refused: Activity 'A-TIDAK-ADA' is not registered."
    assert refused(monev, home, "--lang", "en", *args) == english
    monkeypatch.setenv("MONEV_LANG", "en")
    assert refused(monev, home, *args) == english


def test_result_lines_are_in_indonesian_too(monev: CliRunner) -> None:
    result = monev.invoke(app, ["opd", "register", "DISHUB-D", "--name", "Dinas Perhubungan"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "OPD DISHUB-D terdaftar.\n"


def test_financial_realisation_above_the_pagu_is_refused(monev: CliRunner, home: Path) -> None:
    line = refused(
        monev, home, *CORRECT,
        "--physical", "100", "--financial", "99.999.999.999", "--indicator", "400",
    )  # fmt: skip
    assert "melebihi pagunya Rp 450.000.000" in line
    assert "Rp 100.282.149.999" in line  # the three other quarters plus this one


def test_non_finite_and_huge_indicators_are_refused(monev: CliRunner, home: Path) -> None:
    for value in ("1e308", "inf", "nan", "99999999999999999999999999"):
        line = refused(
            monev, home, *CORRECT, "--physical", "100", "--financial", "1.000", "--indicator", value
        )
        assert line.startswith("Ditolak: "), line
    line = refused(
        monev, home, *CORRECT, "--physical", "100", "--financial", "1.000", "--indicator", "4001"
    )
    assert "lebih dari 10 kali target tahunannya 400" in line


def test_money_with_an_exponent_is_refused(monev: CliRunner, home: Path) -> None:
    line = refused(
        monev, home, *CORRECT, "--physical", "100", "--financial=1e9", "--indicator", "400"
    )
    assert "'1e9'" in line


@pytest.mark.parametrize("name", ["Dinas\nBaru", "Dinas\tBaru", "\u00a0", "\u200b", " "])
def test_names_with_control_characters_or_nothing_visible_are_refused(
    monev: CliRunner, home: Path, name: str
) -> None:
    refused(monev, home, "opd", "register", "DISBARU", "--name", name)


def test_an_empty_kecamatan_is_refused_and_regency_wide_is_said_explicitly(
    monev: CliRunner, home: Path
) -> None:
    register = [
        "activity", "register", "A-DISKOP-99", "--program", "SE-2017", "--opd", "DISKOPUKM",
        "--name", "Kegiatan se-kabupaten", "--pagu", "1.000.000", "--indicator", "UMKM",
        "--unit", "UMKM", "--target", "4", "--quarterly", "1;1;1;1",
    ]  # fmt: skip
    assert "kosong" in refused(monev, home, *register, "--kecamatan", "")
    assert "--regency-wide" in refused(monev, home, *register)
    assert "bukan keduanya" not in refused(monev, home, *register, "--kecamatan", "Grati",
                                           "--regency-wide")  # fmt: skip
    created = monev.invoke(app, [*register, "--regency-wide"])
    assert created.exit_code == 0, created.output
    shown = monev.invoke(app, ["activity", "show", "A-DISKOP-99", "-f", "json"])
    assert '"kecamatan_code": null' in shown.stdout


def test_user_add_refuses_an_unregistered_opd_unless_forced(monev: CliRunner, home: Path) -> None:
    line = refused(monev, home, "user", "add", "x", "--role", "opd", "--opd", "NOSUCH",
                   "--no-password")  # fmt: skip
    assert "NOSUCH" in line and "--force" in line
    assert "x" not in load_users(home / "users.toml")
    forced = monev.invoke(
        app, ["user", "add", "x", "--role", "opd", "--opd", "NOSUCH", "--no-password", "--force"]
    )
    assert forced.exit_code == 0, forced.output
    assert load_users(home / "users.toml")["x"].opd_code == "NOSUCH"


def test_an_empty_password_on_stdin_says_no_password_was_given(
    monev: CliRunner, home: Path
) -> None:
    result = monev.invoke(
        app, ["user", "add", "y", "--role", "viewer", "--password-stdin"], input=""
    )
    assert result.exit_code == 1
    assert "Tidak ada kata sandi" in result.stderr and "8" not in result.stderr
    piped = monev.invoke(
        app, ["user", "add", "y", "--role", "viewer", "--password-stdin"], input="rahasia-kuat\n"
    )
    assert piped.exit_code == 0, piped.output


def test_help_renders_flags_cleanly(monev: CliRunner) -> None:
    for command in (["user", "add"], ["refresh"], ["demo"], ["import"], ["dashboard"]):
        text = monev.invoke(app, [*command, "--help"]).stdout
        assert "--no-no-" not in text and "<bool>" not in text, text
    user_help = monev.invoke(app, ["user", "add", "--help"]).stdout
    assert "--password-stdin" in user_help and "--no-password" in user_help
    assert "--force" in user_help


def test_the_merge_line_says_when_the_merge_takes_effect(monev: CliRunner) -> None:
    year = ["--year", "2018"]
    setup = [
        ["program", "register", "P-UJI-2018", "--name", "Uji", "--opd", "DISPERTA", *year],
        ["program", "join", "P-UJI-2018", "--opd", "DISNAK"],
        ["rakor", "hold", "2018-Q1", "--date", "2018-04-10"],
        ["quarter", "close", "2018-Q1"],
    ]
    for n, opd in enumerate(("DISPERTA", "DISNAK")):
        setup.append(
            ["activity", "register", f"A-UJI-{n}", "--program", "P-UJI-2018", "--opd", opd,
             "--name", "Uji", "--pagu", "1.000", "--indicator", "X", "--unit", "X",
             "--target", "4", "--quarterly", "1;1;1;1", "--regency-wide"]
        )  # fmt: skip
    for args in setup:
        result = monev.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
    merged = monev.invoke(
        app,
        ["activities", "merge", "A-UJI-0", "A-UJI-1", "--joint", "J-UJI", "--name", "Uji",
         "--lead", "DISPERTA"],
    )  # fmt: skip
    assert merged.exit_code == 0, merged.output
    assert "berlaku mulai Triwulan II 2018" in merged.stdout
    assert merged.stdout.count("\n") == 1


def test_wrong_usage_exits_with_code_2_and_stores_nothing(monev: CliRunner, home: Path) -> None:
    before = position(home)
    unknown = monev.invoke(app, ["opd", "register", "DISX", "--nama", "Dinas X"])
    missing = monev.invoke(app, ["opd", "register", "DISX"])
    assert (unknown.exit_code, missing.exit_code) == (2, 2)
    assert unknown.stdout == missing.stdout == ""
    assert position(home) == before


@pytest.mark.parametrize(
    ("lang", "asked", "again", "differ"),
    [
        ("id", "Kata sandi untuk tamu", "Ulangi kata sandinya", "Kedua kata sandi berbeda"),
        ("en", "Password for tamu", "Repeat the password", "The two passwords differ"),
    ],
)
def test_a_new_users_password_is_asked_twice_in_the_users_language(
    monev: CliRunner,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    asked: str,
    again: str,
    differ: str,
) -> None:
    monkeypatch.setenv("MONEV_LANG", lang)
    typed = "sandi-satu-1\nsandi-dua-22\nsandi-tiga-3\nsandi-tiga-3\n"
    result = monev.invoke(app, ["user", "add", "tamu", "--role", "viewer"], input=typed)
    assert result.exit_code == 0, result.output
    assert result.stderr.count(asked) == 2
    assert result.stderr.count(again) == 2
    assert result.stderr.count(differ) == 1
    assert "sandi-" not in result.output  # typed unechoed
    tamu = load_users(home / "users.toml")["tamu"]
    assert verify_password(tamu, "sandi-tiga-3")
    assert not verify_password(tamu, "sandi-satu-1")


def test_signing_in_asks_for_the_password_in_the_users_language(
    monev: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = monev.invoke(app, ["--user", "admin", "login"], input="bukan-sandinya\n")
    assert result.exit_code == 1
    assert result.stderr.startswith("Kata sandi untuk admin:")
    monkeypatch.setenv("MONEV_LANG", "en")
    result = monev.invoke(app, ["--user", "admin", "login"], input="not-the-password\n")
    assert result.stderr.startswith("Password for admin:")
