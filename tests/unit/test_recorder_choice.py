"""monev chooses its own event-store recorder; no operator names one (issue 13, point 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventstore.settings import (
    POSTGRES_RECORDER_TOPIC,
    SQLITE_RECORDER_TOPIC,
    ConfigFileError,
    Settings,
    leftover_recorder_setting,
)

POSTGRES = {"MONEV_EVENT_STORE": "postgres", "POSTGRES_DBNAME": "monev"}


@pytest.mark.parametrize(
    ("env", "topic"),
    [({}, SQLITE_RECORDER_TOPIC), (POSTGRES, POSTGRES_RECORDER_TOPIC)],
    ids=["sqlite", "postgres"],
)
def test_each_store_gets_monev_s_recorder_under_both_names_the_library_reads(
    tmp_path: Path, env: dict[str, str], topic: str
) -> None:
    app_env = Settings.from_env(env, home=tmp_path).application_env()
    # The library looks up MONEV_<KEY> before <KEY>, in the process environment too: both are
    # set, so nothing left in the environment can stand in for monev's recorder.
    assert app_env["APPLICATION_RECORDER_TOPIC"] == topic
    assert app_env["MONEV_APPLICATION_RECORDER_TOPIC"] == topic


@pytest.mark.parametrize("key", ["APPLICATION_RECORDER_TOPIC", "MONEV_APPLICATION_RECORDER_TOPIC"])
@pytest.mark.parametrize(
    "leftover",
    [
        "eventstore.postgres_roles:AppRoleRecorder",  # what docs/deploying.md used to say
        "apps.postgres_roles:AppRoleRecorder",  # where it lived before
        "eventstore.postgres_recorder:PositionCheckedPostgresRecorder",
    ],
)
def test_a_leftover_naming_monev_s_own_recorder_is_honoured_by_monev_s_choice(
    tmp_path: Path, key: str, leftover: str
) -> None:
    env = {**POSTGRES, key: leftover}
    app_env = Settings.from_env(env, home=tmp_path).application_env()
    assert app_env[key] == POSTGRES_RECORDER_TOPIC
    assert leftover_recorder_setting(env) == key  # `monev doctor` says it can go


@pytest.mark.parametrize("key", ["APPLICATION_RECORDER_TOPIC", "MONEV_APPLICATION_RECORDER_TOPIC"])
def test_any_other_recorder_is_refused_with_a_plain_message(tmp_path: Path, key: str) -> None:
    env = {**POSTGRES, key: "eventsourcing.postgres:PostgresApplicationRecorder"}
    with pytest.raises(ConfigFileError, match=f"remove {key}"):
        Settings.from_env(env, home=tmp_path)


def test_no_setting_means_nothing_left_over() -> None:
    assert leftover_recorder_setting(POSTGRES) is None
