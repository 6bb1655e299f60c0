"""Stopping `monev refresh --watch`: the first signal asks, the second insists."""

from __future__ import annotations

import threading

import pytest

from apps.cli.context import set_language
from apps.cli.warehouse import _stop_watching


@pytest.mark.parametrize(("lang", "says"), [("id", "Ctrl-C sekali lagi"), ("en", "Ctrl-C again")])
def test_the_first_signal_asks_the_watch_to_stop_after_its_step(
    capsys: pytest.CaptureFixture[str], lang: str, says: str
) -> None:
    set_language(lang)  # as --lang does; the CLI's language is process state
    try:
        stop = threading.Event()
        _stop_watching(stop)
    finally:
        set_language(None)
    assert stop.is_set()
    assert says in capsys.readouterr().err


def test_a_second_signal_interrupts_a_step_that_is_stuck() -> None:
    """E.g. the database driver waiting for an unreachable server, minutes at a time."""
    stop = threading.Event()
    _stop_watching(stop)
    with pytest.raises(KeyboardInterrupt):
        _stop_watching(stop)
