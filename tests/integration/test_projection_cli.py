"""End to end, as a user runs it: `monev demo && monev refresh` with the real dbt project, then
analysts read the published file while another refresh runs, and `--as-of` leaves out what
was recorded after its cut-off (and refuses one before every event).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from domain.actors import ADMIN, Actor
from eventstore.bootstrap import build_application
from eventstore.settings import Settings
from projections.publish import read_stamp

MONEV = str(Path(sys.executable).with_name("monev"))
READ_ONLY = (
    "import sys, duckdb\n"
    "con = duckdb.connect(sys.argv[1], read_only=True)\n"
    "print(con.execute('SELECT count(*) FROM events.event_log').fetchone()[0],"
    " con.execute('SELECT count(*) FROM marts.activity_quarter').fetchone()[0])\n"
    "con.close()\n"
)


def monev(home: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MONEV_HOME": str(home)}
    return subprocess.run(
        [MONEV, *arguments], env=env, capture_output=True, text=True, timeout=900, check=False
    )


@pytest.mark.slow
def test_demo_refresh_then_read_only_while_another_refresh_runs(tmp_path: Path) -> None:
    home = tmp_path / "data"
    assert monev(home, "demo").returncode == 0
    first = monev(home, "refresh")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "peristiwa diproyeksikan" in first.stdout and "rencana build" in first.stdout
    warehouse = home / "warehouse.duckdb"
    stamp = read_stamp(warehouse)
    assert stamp is not None and stamp.event_count > 250

    # One command, so the next refresh has something to build (with nothing new it would
    # publish nothing): readers must keep reading while it runs.
    app = build_application(Settings.from_env({}, home=home))
    app.register_opd(Actor("admin", ADMIN), code="BARU", name="Dinas Baru")
    app.close()
    env = {**os.environ, "MONEV_HOME": str(home)}
    another = subprocess.Popen(
        [MONEV, "refresh"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    reads = 0
    try:
        while another.poll() is None:
            read = subprocess.run(
                [sys.executable, "-c", READ_ONLY, str(warehouse)],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert read.returncode == 0, read.stderr
            events, rows = map(int, read.stdout.split())
            # The first file, or the next one once it is published: never anything between.
            assert events in (stamp.event_count, stamp.event_count + 1) and rows > 0
            reads += 1
            time.sleep(0.2)
    finally:
        out, err = another.communicate(timeout=900)
    assert another.returncode == 0, out + err
    assert reads >= 1

    # Every demo event was recorded today: a cut-off of yesterday would leave an empty
    # warehouse, so it is refused in one line and nothing is built.
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    refused = monev(home, "--lang", "en", "refresh", "--as-of", yesterday)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "is before the first event" in refused.stderr
    assert not list(home.glob("warehouse-asof-*"))
    # A cut-off by position builds beside the published file, named by that position.
    as_of = monev(home, "refresh", "--as-of", "position:100")
    assert as_of.returncode == 0, as_of.stdout + as_of.stderr
    past = read_stamp(home / "warehouse-asof-100.duckdb")
    assert past is not None and past.as_of is not None
    assert past.event_count == 100
    assert read_stamp(warehouse).event_count == stamp.event_count + 1  # type: ignore[union-attr]
    # Nothing new since: the next refresh builds and publishes nothing.
    published = read_stamp(warehouse)
    again = monev(home, "refresh")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "tidak ada yang baru" in again.stdout and "rencana build" not in again.stdout
    assert read_stamp(warehouse) == published
