"""monev.toml: an optional file of defaults for the same settings the environment names."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventstore.settings import ConfigFileError, Settings, read_config_file

EXAMPLE = """
home = "srv"
event_store = "postgres"
poll_seconds = 0.5

[dashboard]
port = 8600

[postgres]
host = "db.internal"
dbname = "monev"
user = "monev_app"
port = 5433
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "monev.toml"
    path.write_text(text)
    return path


def test_the_file_named_by_monev_config_supplies_settings(tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE)
    settings = Settings.from_env({"MONEV_CONFIG": str(path)})
    assert settings.home == (tmp_path / "srv").resolve()
    assert settings.event_store == "postgres"
    assert settings.poll_seconds == 0.5
    assert settings.dashboard_port == 8600
    assert settings.postgres["POSTGRES_HOST"] == "db.internal"
    assert settings.postgres["POSTGRES_PORT"] == "5433"
    assert settings.config_file == path


def test_environment_variables_win_over_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE)
    settings = Settings.from_env(
        {"MONEV_CONFIG": str(path), "POSTGRES_HOST": "other", "MONEV_DASHBOARD_PORT": "9000"}
    )
    assert settings.postgres["POSTGRES_HOST"] == "other"
    assert settings.dashboard_port == 9000
    assert settings.postgres["POSTGRES_DBNAME"] == "monev"


def test_monev_toml_in_the_working_directory_is_read_only_from_the_process_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, 'event_store = "postgres"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MONEV_CONFIG", raising=False)
    monkeypatch.delenv("MONEV_EVENT_STORE", raising=False)
    monkeypatch.delenv("PERSISTENCE_MODULE", raising=False)
    assert Settings.from_env().event_store == "postgres"
    assert Settings.from_env({}).event_store == "sqlite"


def test_an_unknown_key_is_refused_with_the_known_ones_listed(tmp_path: Path) -> None:
    path = write(tmp_path, 'hom = "x"\n')
    with pytest.raises(ConfigFileError, match=r"unknown setting 'hom'.*home"):
        read_config_file(path)


def test_a_missing_named_file_and_bad_toml_say_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigFileError, match="no such file"):
        Settings.from_env({"MONEV_CONFIG": str(tmp_path / "absent.toml")})
    with pytest.raises(ConfigFileError, match="not valid TOML"):
        read_config_file(write(tmp_path, "home = \n"))
