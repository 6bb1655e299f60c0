"""Importing a spreadsheet: every row one domain command of the importing user, all or nothing.

How all-or-nothing works (and why this way)
-------------------------------------------
The domain's commands each save as soon as they succeed. To keep "the domain decides" and still
store nothing when any row is refused, rows run against a ``UnitOfWork``: a ``Monev`` whose
``save`` keeps the events instead of writing them, and whose repository reads aggregates from the
real store *plus* the events of the rows accepted so far. So row 7 registers an activity and
row 300 records its realisation, and both are checked by the domain's own code, with the same
messages as the CLI. When every row is accepted, all their events go to the real store in one
``EventStore.put`` call, which the recorder writes in one transaction; if any row is refused,
nothing is written at all.

A refused row may have changed an aggregate in memory before the domain refused it. The domain's
``command`` wrapper then evicts what the row loaded from ``repository.cache``; here that cache
is the unit of work's own table, so the next row rebuilds those aggregates from the store and
the accepted events, and one bad row cannot skew the checks of the rows after it.

This is faster than one transaction per row (10,000 rows would be 10,000 fsyncs) and than a
scratch copy of the whole store: only the aggregates the file touches are read, once each.
Rows are checked against the store as it was when each aggregate was first read; if someone else
changes one of them before the import writes, the write fails on the store's version check and
the import stores nothing and says so.

Idempotency: before a row's command runs, the row is compared with what is recorded (an activity
or program with the same values, an evaluation equal to the one recorded for that quarter, a
follow-up equal to the last one). Such rows are skipped and counted, so a file imported twice
stores nothing the second time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import EventStore, IntegrityError

from apps import messages
from apps.spreadsheets.reading import ImportFileError, Sheet, read_spreadsheet
from apps.spreadsheets.rows import (
    KINDS,
    Header,
    ParsedRow,
    RowCommand,
    RowKind,
    attribute,
    is_blank,
    match_header,
    parse_row,
    show,
)
from domain.activities import Activity
from domain.actors import Actor
from domain.application import Monev
from domain.errors import ConflictError, DuplicateError, MonevError, StoreMovedError
from domain.kecamatan import resolve_kecamatan
from domain.programs import Program
from domain.quarters import Quarter
from domain.recommendations import Recommendation
from domain.rules import normalise_code

HEADER_SEARCH_ROWS = 10
# Called as progress(phase, done, total): phase "read" (rows of the file), "check" (data rows
# run through the domain), "store" (0 of 1 before the one write, 1 of 1 after it).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RowProblem:
    """One refused row (or cell): where it is, what it holds, and why it was refused."""

    sheet: str
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ImportReport:
    """What an import did, or in a dry run would do. Nothing is stored unless ``ok``."""

    filename: str
    dry_run: bool = False
    rows: int = 0
    stored: int = 0
    skipped: int = 0
    blank: int = 0
    events: int = 0
    refused: list[RowProblem] = field(default_factory=list)
    sheets: dict[str, str] = field(default_factory=dict)
    lang: str = "id"  # the language refusals are worded in (apps.messages)

    @property
    def ok(self) -> bool:
        return not self.refused

    @property
    def refused_rows(self) -> int:
        return len({(p.sheet, p.row) for p in self.refused})

    def summary(self) -> str:
        """One line, Indonesian first, for the CLI and the dashboard."""
        if not self.ok:
            return (
                f"{self.filename}: {self.refused_rows} baris ditolak, tidak ada yang disimpan / "
                f"{self.refused_rows} row(s) refused, nothing stored "
                f"({self.rows} rows read)."
            )
        verb = "akan disimpan / would be stored" if self.dry_run else "disimpan / stored"
        text = (
            f"{self.filename}: {self.stored} baris {verb}, {self.skipped} dilewati karena sudah "
            f"tercatat / skipped as already recorded"
        )
        if self.blank:
            text += f", {self.blank} baris kosong / left empty"
        return text + f" ({self.events} events)."


class _Facts:
    """What the importer compares rows with, learnt from the events as they are replayed.

    The aggregates keep only what their rules need (an evaluation's numbers, not its texts), so
    the texts of the last evaluation and follow-up are taken from the events themselves.
    """

    def __init__(self) -> None:
        self.registrations: dict[UUID, Aggregate.Event] = {}
        self.evaluations: dict[tuple[UUID, str], tuple[Any, ...]] = {}
        self.follow_ups: dict[UUID, tuple[str, str, bool]] = {}

    def note(self, event: Any) -> None:
        if isinstance(event, Activity.Registered | Program.Registered):
            self.registrations[event.originator_id] = event
        elif isinstance(event, Activity.EvaluationRecorded | Activity.EvaluationCorrected):
            self.evaluations[(event.originator_id, event.quarter)] = (
                event.physical_pct,
                event.financial_rp,
                event.indicator_value,
                event.drivers,
                event.obstacles,
            )
        elif isinstance(event, Recommendation.FollowedUp):
            self.follow_ups[event.originator_id] = (event.quarter, event.progress, event.is_done)


class _Evictor:
    """Stands where the domain expects ``repository.cache``: a failed command evicts through it."""

    def __init__(self, live: dict[UUID, Aggregate | None]) -> None:
        self._live = live

    def get(self, key: UUID, *, evict: bool = False) -> Aggregate | None:
        return self._live.pop(key) if evict else self._live[key]


class _StagedRepository:
    """Aggregates as the store has them plus the accepted rows' events, read once each."""

    def __init__(self, events: EventStore[UUID]) -> None:
        self._store_events = events
        self._live: dict[UUID, Aggregate | None] = {}  # None: known not to exist
        self._accepted: dict[UUID, list[Any]] = {}
        self.facts = _Facts()
        self.cache = _Evictor(self._live)

    def get(self, aggregate_id: UUID, **_: Any) -> Aggregate:
        try:
            aggregate = self._live[aggregate_id]
        except KeyError:
            aggregate = self._load(aggregate_id)
        if aggregate is None:
            raise AggregateNotFoundError(aggregate_id)
        return aggregate

    def exists(self, aggregate_id: UUID) -> bool:
        try:
            self.get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True

    def _load(self, aggregate_id: UUID) -> Aggregate | None:
        aggregate: Any = None
        stored: Iterable[Any] = self._store_events.get(aggregate_id)
        for event in chain(stored, self._accepted.get(aggregate_id, ())):
            aggregate = event.mutate(aggregate)
            self.facts.note(event)
        self._live[aggregate_id] = aggregate
        return aggregate

    def accept(self, aggregate: Aggregate) -> list[Any]:
        new: list[Any] = list(aggregate.collect_events())
        self._accepted.setdefault(aggregate.id, []).extend(new)
        self._live[aggregate.id] = aggregate
        for event in new:
            self.facts.note(event)
        return new


class UnitOfWork(Monev):
    """The domain's commands, run against the real store's state, with saving held back.

    It shares the real application's event store (to read and, at the end, to write) and has
    its own repository, so nothing in the real application's cache is touched by rows that may
    yet be refused.
    """

    name = "monev"

    def __init__(self, real: Monev) -> None:
        super().__init__(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
        self.real = real
        # Where the store ended before the first row was checked. A recorder that can (SQLite's,
        # see eventstore.sqlite_recorder) refuses the final write if anything was stored since: a
        # quarter closed by someone else while the file was being checked, say.
        self.start_position: int | None = None
        if getattr(real.recorder, "checks_expected_position", False):
            self.start_position = real.recorder.max_notification_id() or 0
        self._staged = _StagedRepository(real.events)
        self.pending: list[Any] = []

    @property
    def repository(self) -> Any:
        return self._staged

    @property
    def facts(self) -> _Facts:
        return self._staged.facts

    def save(self, *objs: Any, **kwargs: Any) -> list[Any]:
        """Keeps the events; a new aggregate whose id exists collides as the store would."""
        aggregates = [a for a in objs if a is not None]
        for aggregate in aggregates:
            first = aggregate.pending_events[0] if aggregate.pending_events else None
            is_new = first is not None and first.originator_version == 1
            if is_new and self._staged.exists(aggregate.id):
                msg = f"Aggregate {aggregate.id} already exists."
                raise IntegrityError(msg)
        for aggregate in aggregates:
            self.pending.extend(self._staged.accept(aggregate))
        return []

    def exists(self, aggregate_id: UUID) -> bool:
        return self._staged.exists(aggregate_id)

    def commit(self) -> int:
        """Writes every accepted event in one transaction; returns how many."""
        if not self.pending:
            return 0
        kwargs = {} if self.start_position is None else {"expected_position": self.start_position}
        try:
            self.real.events.put(self.pending, **kwargs)
        except (IntegrityError, StoreMovedError):
            msg = (
                "Someone else recorded data while the file was being checked (it may have "
                "closed a quarter or changed these records); nothing was stored. Import the "
                "file again."
            )
            raise ConflictError(msg) from None
        return len(self.pending)


# -- the import ---------------------------------------------------------------------------


@dataclass
class _DataRow:
    sheet: str
    kind: RowKind
    number: int
    cells: dict[str, Any]


def import_spreadsheet(
    app: Monev,
    actor: Actor,
    source: Path | bytes | BinaryIO,
    *,
    filename: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    lang: str | None = None,
) -> ImportReport:
    """Imports an XLSX or CSV file as ``actor``; stores everything or, if a row is refused, nothing.

    Refusals in the report are worded in ``lang`` (default ``MONEV_LANG``, else Indonesian).

    Raises ``ImportFileError`` (a ``MonevError``) when the file is no spreadsheet or has no sheet
    with monev's columns; every problem with a row is in the report instead.
    """
    name = filename or (Path(source).name if isinstance(source, Path | str) else "upload")
    say = progress or (lambda _phase, _done, _total: None)
    sheets = read_spreadsheet(source, name, lambda done, total: say("read", done, total))
    report = ImportReport(filename=name, dry_run=dry_run, lang=messages.language(lang))
    rows = list(_data_rows(sheets, report))
    if not report.sheets:
        msg = (
            f"'{name}' has no sheet with monev's columns (e.g. 'Kode Kegiatan', 'Triwulan'); "
            "start from a template: monev template activities|evaluations|followups."
        )
        raise ImportFileError(msg)
    report.rows = len(rows)
    work = UnitOfWork(app)
    for index, row in enumerate(rows, start=1):
        _import_row(work, actor, row, report)
        say("check", index, len(rows))
    report.events = len(work.pending)
    if report.ok and not dry_run:
        say("store", 0, 1)
        work.commit()
        say("store", 1, 1)
    return report


def _data_rows(sheets: Iterable[Sheet], report: ImportReport) -> Iterable[_DataRow]:
    for sheet in sheets:
        header: Header | None = None
        header_row = 0
        for number, cells in sheet.rows[:HEADER_SEARCH_ROWS]:
            header = match_header(cells)
            if header is not None:
                header_row = number
                break
        if header is None:
            continue  # instructions, lists, notes: not data
        report.sheets[sheet.name] = header.kind.name
        for column in header.missing:
            report.refused.append(
                RowProblem(
                    sheet.name,
                    header_row,
                    column.label,
                    "",
                    f"Kolom wajib tidak ada / required column '{column.label}' "
                    f"({column.key}) is missing.",
                )
            )
        if header.missing:
            continue
        first_data_row = True
        for number, cells in sheet.rows:
            if number <= header_row:
                continue
            if first_data_row:
                first_data_row = False
                again = match_header(cells)
                if again is not None and again.kind is header.kind:
                    continue  # the template's hidden row of machine names
            values = {
                column.key: cells[index]
                for index, column in header.positions.items()
                if index < len(cells)
            }
            yield _DataRow(sheet.name, header.kind, number, values)


def _import_row(work: UnitOfWork, actor: Actor, row: _DataRow, report: ImportReport) -> None:
    kind = row.kind
    if is_blank(kind, row.cells):
        report.blank += 1
        return
    parsed = parse_row(kind, row.number, row.cells, report.lang)
    if parsed.problems:
        for problem in parsed.problems:
            report.refused.append(
                RowProblem(
                    row.sheet,
                    row.number,
                    kind.column(problem.column).label,
                    problem.value,
                    problem.reason,
                )
            )
        return
    command = kind.build(parsed.values)
    if _already_recorded(work, command):
        report.skipped += 1
        return
    try:
        getattr(work, command.method)(actor, **command.kwargs)
    except MonevError as error:
        _refuse(report, row, parsed, error)
        return
    except (TypeError, ValueError, ArithmeticError) as error:  # a value the domain did not expect
        unexpected = RowProblem(row.sheet, row.number, "", "", f"Value not accepted: {error}.")
        report.refused.append(unexpected)
        return
    report.stored += 1


def _refuse(report: ImportReport, row: _DataRow, parsed: ParsedRow, error: MonevError) -> None:
    key = attribute(row.kind, error, parsed)
    reason = messages.render(error, report.lang)
    if isinstance(error, DuplicateError) and "already registered" in str(error):
        reason += (
            " Nilai di file berbeda dari yang tercatat / the file's values differ from the "
            "recorded ones (change targets with a revision, not a new registration)."
        )
    report.refused.append(
        RowProblem(
            row.sheet, row.number, row.kind.column(key).label, show(row.cells.get(key)), reason
        )
    )


# -- idempotency ----------------------------------------------------------------------------


def _already_recorded(work: UnitOfWork, command: RowCommand) -> bool:
    """Is this row's effect already in the store (or in an earlier row of the file)?

    Any doubt (a code that does not parse, a missing aggregate) answers no: the command then
    runs and the domain gives its own refusal.
    """
    check = _CHECKS.get(command.method)
    if check is None:
        return False
    try:
        return check(work, command.kwargs)
    except (MonevError, AggregateNotFoundError, KeyError, TypeError, ValueError):
        return False


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _all_same(recorded: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    return all(_same(recorded.get(k), v) for k, v in wanted.items())


def _program_recorded(work: UnitOfWork, kwargs: Mapping[str, Any]) -> bool:
    code = normalise_code(kwargs["code"], "Program")
    program = work.repository.get(Program.create_id(code))
    wanted = {
        "name": str(kwargs["name"]).strip(),
        "opd_code": normalise_code(kwargs["opd_code"], "OPD"),
        "fiscal_year": int(kwargs["fiscal_year"]),
    }
    return _all_same(vars(program), wanted)


def _activity_recorded(work: UnitOfWork, kwargs: Mapping[str, Any]) -> bool:
    code = normalise_code(kwargs["code"], "Activity")
    activity_id = Activity.create_id(code)
    activity = work.repository.get(activity_id)
    kecamatan = kwargs.get("kecamatan")
    wanted = {
        "program_code": normalise_code(kwargs["program_code"], "Program"),
        "opd_code": normalise_code(kwargs["opd_code"], "OPD"),
        "name": str(kwargs["name"]).strip(),
        "kecamatan_code": resolve_kecamatan(kecamatan) if kecamatan else None,
        "pagu_rp": int(kwargs["pagu_rp"]),
        "indicator_name": str(kwargs["indicator_name"]).strip(),
        "indicator_unit": str(kwargs["indicator_unit"]).strip(),
        "indicator_kind": str(kwargs["indicator_kind"]).strip().lower(),
        "annual_target": float(kwargs["annual_target"]),
        "quarterly_targets": tuple(float(t) for t in kwargs["quarterly_targets"]),
    }
    registered = work.facts.registrations.get(activity_id)
    # Recorded as registered, or as it stands after later target revisions: either way the
    # row says nothing new.
    return _all_same(vars(activity), wanted) or (
        registered is not None and _all_same(vars(registered), wanted)
    )


def _evaluation_recorded(work: UnitOfWork, kwargs: Mapping[str, Any]) -> bool:
    code = normalise_code(kwargs["activity_code"], "Activity")
    quarter = Quarter.parse(kwargs["quarter"]).code
    work.repository.get(Activity.create_id(code))  # loads it, and with it its facts
    last = work.facts.evaluations.get((Activity.create_id(code), quarter))
    wanted = (
        float(kwargs["physical_pct"]),
        int(kwargs["financial_rp"]),
        float(kwargs["indicator_value"]),
        str(kwargs.get("drivers") or "").strip(),
        str(kwargs.get("obstacles") or "").strip(),
    )
    return last is not None and _same(last, wanted)


def _follow_up_recorded(work: UnitOfWork, kwargs: Mapping[str, Any]) -> bool:
    code = normalise_code(kwargs["code"], "Recommendation")
    recommendation_id = Recommendation.create_id(code)
    work.repository.get(recommendation_id)
    last = work.facts.follow_ups.get(recommendation_id)
    wanted = (
        Quarter.parse(kwargs["quarter"]).code,
        str(kwargs["progress"]).strip(),
        bool(kwargs.get("is_done")),
    )
    return last is not None and _same(last, wanted)


_CHECKS: dict[str, Callable[[UnitOfWork, Mapping[str, Any]], bool]] = {
    "register_program": _program_recorded,
    "register_activity": _activity_recorded,
    "record_evaluation": _evaluation_recorded,
    "correct_evaluation": _evaluation_recorded,
    "follow_up_recommendation": _follow_up_recorded,
}

__all__ = [
    "KINDS",
    "ImportFileError",
    "ImportReport",
    "RowProblem",
    "UnitOfWork",
    "import_spreadsheet",
]
