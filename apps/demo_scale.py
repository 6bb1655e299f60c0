"""`monev demo --scale N`: a synthetic store of about N events, for benchmarks.

Aggregates are built by their own methods (so every rule holds) and saved many at a time,
one transaction per batch: the per-command round trip would measure the disk, not monev.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from functools import cache
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from domain.activities import Activity
from domain.actors import ADMIN, OPD, Actor
from domain.agencies import Opd
from domain.application import Monev
from domain.kecamatan import all_kecamatan
from domain.programs import Program

OPD_COUNT = 20
EVENTS_PER_ACTIVITY = 5  # registration and four evaluations
FIRST_YEAR = 2017
CHUNK_ACTIVITIES = 4_000  # 20,000 events a transaction
ACTIVITY_TOPIC = get_topic(Activity)
REGISTERED_TOPIC = get_topic(Activity.Registered)
EVALUATION_TOPIC = get_topic(Activity.EvaluationRecorded)


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
        console=(console := Console(stderr=True)),
        disable=not (progress and console.is_terminal),  # for a person: stderr, a terminal
    )
    with bar:
        task = bar.add_task("events", total=activities * EVENTS_PER_ACTIVITY)
        chunks = [
            (first, min(first + CHUNK_ACTIVITIES, activities), per_year, opds, kecamatan)
            for first in range(0, activities, CHUNK_ACTIVITIES)
        ]
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            for rows in pool.map(_encode_chunk, chunks):
                app.recorder.insert_events([StoredEvent(UUID(i), v, t, s) for i, v, t, s in rows])
                bar.advance(task, len(rows))
    return app.last_position() - start


def _now() -> datetime:
    return datetime.now(UTC)


@cache
def _mapper() -> Mapper[UUID]:
    return Monev(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper


def _encode_chunk(
    chunk: tuple[int, int, int, list[str], list[str]],
) -> list[tuple[str, int, str, bytes]]:
    """Encodes one chunk of activities in a worker process.

    Encoding is most of the cost and is independent per event, so both cores share it while
    the parent writes each chunk in one transaction through the application's recorder.
    Each stored event goes back as a plain tuple (the id in hex): pickling ``StoredEvent``
    objects, each with a ``UUID``, cost the two processes twice as much as the tuples.

    The states are built as the dicts the mapper would make of ``_activity_events`` (same
    keys in the same order), with the chunk's timestamp and each OPD's actor transcoded once
    instead of once an event; the application's transcoder then writes them. A test checks
    that the bytes are the mapper's, event for event.
    """
    first, last, per_year, opds, kecamatan = chunk
    transcoder = _mapper().transcoder
    types = transcoder.types  # type: ignore[attr-defined]

    def transcoded(value: Any) -> dict[str, Any]:
        transcoding = types[type(value)]
        return {"_type_": transcoding.name, "_data_": transcoding.encode(value)}

    timestamp = transcoded(_now())
    actors = {opd: transcoded(_actor(opd)) for opd in opds}
    rows = []
    for index in range(first, last):
        for originator_id, version, topic, state in _activity_states(
            index, per_year, opds, kecamatan, timestamp, actors
        ):
            rows.append((originator_id, version, topic, transcoder.encode(state)))
    return rows


def _actor(opd: str) -> Actor:
    return Actor(f"opd-{opd.lower()}", OPD, opd)


def _activity_states(
    index: int,
    per_year: int,
    opds: list[str],
    kecamatan: list[str],
    timestamp: dict[str, Any],
    actors: dict[str, dict[str, Any]],
) -> list[tuple[str, int, str, dict[str, Any]]]:
    """What ``_activity_events`` makes, as (id in hex, version, topic, state) for the mapper."""
    year = FIRST_YEAR + index // per_year
    opd = opds[index % len(opds)]
    actor = actors[opd]
    target = float(10 + index % 90)
    code = f"S{index:08d}"
    activity_id = Activity.create_id(code).hex
    pagu = 10_000_000 + (index % 97) * 5_000_000
    states = [
        (
            activity_id,
            1,
            REGISTERED_TOPIC,
            {
                "timestamp": timestamp,
                "originator_topic": ACTIVITY_TOPIC,
                "code": code,
                "program_code": f"P-{opd}-{year}",
                "opd_code": opd,
                "name": f"Kegiatan sintetis {index}",
                "kecamatan_code": kecamatan[index % len(kecamatan)],
                "fiscal_year": year,
                "pagu_rp": pagu,
                "indicator_name": "Keluaran",
                "indicator_unit": "unit",
                "indicator_kind": "incremental",
                "annual_target": target * 4,
                "quarterly_targets": (target, target, target, target),
                "is_joint": False,
                "actor": actor,
            },
        )
    ]
    for number in range(1, 5):
        states.append(
            (
                activity_id,
                1 + number,
                EVALUATION_TOPIC,
                {
                    "timestamp": timestamp,
                    "quarter": f"{year}-Q{number}",
                    "physical_pct": min(100.0, 25.0 * number),
                    "financial_rp": pagu // 5,
                    "indicator_value": round(target * (0.5 + (index * number % 60) / 100), 1),
                    "drivers": "",
                    "obstacles": "",
                    "actor": actor,
                },
            )
        )
    return states


def _activity_events(
    index: int, per_year: int, opds: list[str], kecamatan: list[str], now: datetime
) -> list[Aggregate.Event]:
    """The five events of one synthetic activity, valid by construction.

    What ``_activity_states`` stores (the test compares them); built as event objects rather
    than through aggregate methods, which at a million events would be the benchmark.
    """
    year = FIRST_YEAR + index // per_year
    opd = opds[index % len(opds)]
    actor = _actor(opd)
    target = float(10 + index % 90)
    code = f"S{index:08d}"
    activity_id = Activity.create_id(code)
    pagu = 10_000_000 + (index % 97) * 5_000_000
    events: list[Aggregate.Event] = [
        Activity.Registered(
            originator_id=activity_id,
            originator_version=1,
            timestamp=now,
            originator_topic=ACTIVITY_TOPIC,
            code=code,
            program_code=f"P-{opd}-{year}",
            opd_code=opd,
            name=f"Kegiatan sintetis {index}",
            kecamatan_code=kecamatan[index % len(kecamatan)],
            fiscal_year=year,
            pagu_rp=pagu,
            indicator_name="Keluaran",
            indicator_unit="unit",
            indicator_kind="incremental",
            annual_target=target * 4,
            quarterly_targets=(target, target, target, target),
            is_joint=False,
            actor=actor,
        )
    ]
    for number in range(1, 5):
        events.append(
            Activity.EvaluationRecorded(
                originator_id=activity_id,
                originator_version=1 + number,
                timestamp=now,
                quarter=f"{year}-Q{number}",
                physical_pct=min(100.0, 25.0 * number),
                financial_rp=pagu // 5,
                indicator_value=round(target * (0.5 + (index * number % 60) / 100), 1),
                drivers="",
                obstacles="",
                actor=actor,
            )
        )
    return events
