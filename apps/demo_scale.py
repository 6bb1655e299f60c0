"""`monev demo --scale N`: a synthetic store of about N events, for benchmarks.

Aggregates are built by their own methods (so every rule holds) and saved many at a time,
one transaction per batch: the per-command round trip would measure the disk, not monev.
"""

from __future__ import annotations

from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from domain.actors import ADMIN, OPD, Actor
from domain.agencies import Opd
from domain.application import Monev
from domain.kecamatan import all_kecamatan
from domain.planning import Activity, Program
from domain.quarters import Quarter

OPD_COUNT = 20
EVENTS_PER_ACTIVITY = 5  # registration and four evaluations
FIRST_YEAR = 2017
BATCH_EVENTS = 20_000


def load_scale(app: Monev, events: int, *, progress: bool = False) -> int:
    """Records about ``events`` events; returns how many were stored."""
    admin = Actor("admin", ADMIN)
    kecamatan = [k.code for k in all_kecamatan()]
    activities = max(1, events // EVENTS_PER_ACTIVITY)
    per_year = max(500, activities // 10)
    years = -(-activities // per_year)
    start = app.last_position()
    opds = [f"OPD{i:02d}" for i in range(OPD_COUNT)]
    app.save(*[Opd(code=c, name=f"OPD sintetis {c}", short_name=c, actor=admin) for c in opds])
    programs = [
        Program(code=f"P-{c}-{year}", name="Program", opd_code=c, fiscal_year=year, actor=admin)
        for year in range(FIRST_YEAR, FIRST_YEAR + years)
        for c in opds
    ]
    app.save(*programs)
    bar = Progress(
        TextColumn("[bold]demo --scale"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} events"),
        TimeRemainingColumn(),
        disable=not progress,
    )
    with bar:
        task = bar.add_task("events", total=activities * EVENTS_PER_ACTIVITY)
        pending: list[Activity] = []
        for index in range(activities):
            pending.append(_activity(index, per_year, opds, kecamatan))
            if len(pending) * EVENTS_PER_ACTIVITY >= BATCH_EVENTS:
                app.save(*pending)
                bar.advance(task, len(pending) * EVENTS_PER_ACTIVITY)
                pending = []
        if pending:
            app.save(*pending)
            bar.advance(task, len(pending) * EVENTS_PER_ACTIVITY)
    return app.last_position() - start


def _activity(index: int, per_year: int, opds: list[str], kecamatan: list[str]) -> Activity:
    year = FIRST_YEAR + index // per_year
    opd = opds[index % len(opds)]
    actor = Actor(f"opd-{opd.lower()}", OPD, opd)
    target = float(10 + index % 90)
    activity = Activity(
        code=f"S{index:08d}",
        program_code=f"P-{opd}-{year}",
        opd_code=opd,
        name=f"Kegiatan sintetis {index}",
        kecamatan_code=kecamatan[index % len(kecamatan)],
        fiscal_year=year,
        pagu_rp=10_000_000 + (index % 97) * 5_000_000,
        indicator_name="Keluaran",
        indicator_unit="unit",
        indicator_kind="incremental",
        annual_target=target * 4,
        quarterly_targets=(target, target, target, target),
        is_joint=False,
        actor=actor,
    )
    for number in range(1, 5):
        activity.record_evaluation(
            quarter=Quarter(year, number),
            physical_pct=min(100.0, 25.0 * number),
            financial_rp=activity.pagu_rp // 5,
            indicator_value=round(target * (0.5 + (index * number % 60) / 100), 1),
            drivers="",
            obstacles="",
            actor=actor,
        )
    return activity
