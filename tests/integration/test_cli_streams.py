"""stdout carries exactly the result; progress goes to stderr, and only when that is a terminal.

A real `monev refresh` with stdout in a file: the file holds one line, whether stderr is a pipe
(no progress at all) or a pseudo-terminal (the progress bar is drawn there).
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

MONEV = str(Path(sys.executable).with_name("monev"))
BAR_SIGNS = ("━", "events/s", "ETA")


def environment(home: Path) -> dict[str, str]:
    env = {**os.environ, "MONEV_HOME": str(home), "MONEV_USER": "admin"}
    env.pop("MONEV_LANG", None)
    return env


def run_with_terminal_stderr(arguments: list[str], env: dict[str, str], out: Path) -> str:
    """Runs monev with stdout into ``out`` and stderr on a pseudo-terminal; returns what it drew."""
    main, secondary = pty.openpty()
    with out.open("w") as stdout:
        process = subprocess.Popen([MONEV, *arguments], stdout=stdout, stderr=secondary, env=env)
    os.close(secondary)
    drawn = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closes when the process ends (EIO on Linux)
            break
        if not chunk:
            break
        drawn += chunk
    os.close(main)
    assert process.wait(timeout=600) == 0, drawn.decode(errors="replace")
    return drawn.decode(errors="replace")


def test_refresh_prints_one_line_and_draws_progress_only_on_a_terminal(tmp_path: Path) -> None:
    home = tmp_path / "data"
    env = environment(home)
    demo = subprocess.run([MONEV, "demo"], env=env, capture_output=True, text=True, check=False)
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.count("\n") == 1 and demo.stderr == ""  # steps only on a terminal

    out = tmp_path / "f"
    with out.open("w") as stdout:
        piped = subprocess.run(
            [MONEV, "refresh"], stdout=stdout, stderr=subprocess.PIPE, env=env, check=False
        )
    assert piped.returncode == 0, piped.stderr
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 1 and "peristiwa diproyeksikan" in lines[0]
    assert not any(sign in piped.stderr.decode() for sign in BAR_SIGNS)

    added = subprocess.run(
        [MONEV, "opd", "register", "DISHUB", "--name", "Dinas Perhubungan"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    drawn = run_with_terminal_stderr(["refresh"], env, out)
    lines = out.read_text("utf-8").splitlines()
    assert len(lines) == 1 and "peristiwa diproyeksikan" in lines[0]
    assert "refresh" in drawn and any(sign in drawn for sign in BAR_SIGNS)


def test_shell_completion_is_offered_and_completes_nouns_and_commands() -> None:
    """`monev --install-completion` installs what `--show-completion` prints; the script calls
    monev back, which answers with the commands that fit."""
    script = subprocess.run(
        [MONEV, "--show-completion", "bash"], capture_output=True, text=True, check=False
    )
    assert script.returncode == 0 and "_monev_completion" in script.stdout
    env = {**os.environ, "_MONEV_COMPLETE": "complete_bash"}
    nouns = subprocess.run(
        [MONEV], env={**env, "COMP_WORDS": "monev act", "COMP_CWORD": "1"},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert nouns.stdout.split() == ["activity", "activities"]
    verbs = subprocess.run(
        [MONEV], env={**env, "COMP_WORDS": "monev activity ", "COMP_CWORD": "2"},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert {"register", "list", "show"} <= set(verbs.stdout.split())
    help_text = subprocess.run([MONEV, "--help"], capture_output=True, text=True, check=False)
    assert "--install-completion" in help_text.stdout
