"""The application service: one method per domain command.

Each command checks the actor, validates its input, loads what it needs, calls the aggregate
and saves everything it changed in one call, which the store writes in one transaction. A
refused command raises a MonevError before anything is saved, so nothing is stored.

Commands run on state kept in memory, checked at the write
----------------------------------------------------------
Reading an aggregate costs about as much as the commit's fsync, and a command used to read two
(the activity and the quarter's review) before its one write. Other processes (the dashboard,
the CLI, an import) write to the same store, so state kept in memory may be stale; a command
must never act on stale state. So ``Monev`` remembers the store position its memory is valid
at, and hands it to the write: the recorder (``eventstore.sqlite_recorder``,
``eventstore.postgres_recorder``) checks, inside the write transaction, that the store still ends
there. If someone else wrote in between, the write stores nothing; ``Monev`` reads the events
stored since its position, forgets the aggregates they touched (and the ones the command
changed in memory) and runs the command again. A write that succeeds was therefore decided on
exactly the state it is appended to.

What is kept: aggregates (the library's cache, without fast-forwarding) and which aggregates do
not exist (a quarter without a rakor yet). A refusal is only reported after checking that the
store has not moved (one read): otherwise the command runs again on the newer state, so nobody
is told "not registered" because of an old memory. Queries (``get_activity`` …) catch up first.

Stores whose recorder does not make the check (the in-memory store, or a recorder named in the
settings that is not monev's) keep the library's behaviour: each read fast-forwards the cached
aggregate from the store. Catching up reads the notifications after the known position, so the
gaps PostgreSQL's notification ids may have do not matter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from datetime import date
from functools import wraps
from threading import RLock
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    Cache,
    LRUCache,
    ProcessingEvent,
    Repository,
)
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    Mapper,
    Notification,
    Recording,
    Transcoder,
)

from domain.actors import Actor
from domain.agencies import Opd
from domain.authorisation import (
    require_agency,
    require_own_record,
    require_program_participant,
)
from domain.errors import (
    ConflictError,
    DuplicateError,
    InvalidInputError,
    MonevError,
    NotFoundError,
    StoreMovedError,
)
from domain.evaluation import QuarterReview, Recommendation
from domain.kecamatan import resolve_kecamatan
from domain.planning import (
    INDICATOR_KINDS,
    PROBLEM_CATEGORIES,
    PROGRAM_ROLES,
    Activity,
    Problem,
    Program,
)
from domain.quarters import Quarter
from domain.rules import (
    count,
    normalise_code,
    one_of,
    optional_text,
    percentage,
    quantity,
    required_text,
    rupiah,
)
from domain.satrya_emas import MENTOR_KINDS, Mentor, ServiceRegion
from domain.targets import check_targets
from domain.transcodings import ActorAsDict, DateAsISO, FastJSONTranscoder, FastMapper

A = TypeVar("A", bound=Aggregate)
F = TypeVar("F", bound=Callable[..., Any])

# Catching up reads the events others stored since the known position, to forget only what
# they touched; past this many, forgetting everything and reading again on demand is cheaper.
CATCH_UP_SCAN_LIMIT = 1000
# A command whose write keeps finding the store moved (others writing all the time) gives up.
ATTEMPTS = 5
# Bounds the memory of aggregates known not to exist (codes people mistyped, say).
ABSENT_LIMIT = 10_000


def command(method: F) -> F:
    """Runs a command alone, on state no older than the store's (see the module docstring)."""

    @wraps(method)
    def run(self: Monev, *args: Any, **kwargs: Any) -> Any:
        return self._run(method, args, kwargs, catch_up_first=False)

    return run  # type: ignore[return-value]


def query(method: F) -> F:
    """Like ``command``, but catches up with the store first: a query writes nothing to check."""

    @wraps(method)
    def run(self: Monev, *args: Any, **kwargs: Any) -> Any:
        return self._run(method, args, kwargs, catch_up_first=True)

    return run  # type: ignore[return-value]


class Monev(Application[UUID]):
    """monev's write side. Every method takes the acting user first."""

    name = "monev"
    # Aggregates stay cached between commands (see the module docstring for how they are kept
    # current). They are handed out without a deep copy, which cost more than the disk write;
    # instead commands run one at a time and a failed command evicts what it loaded, so no
    # half-applied state outlives it.
    env = {  # noqa: RUF012
        "AGGREGATE_CACHE_MAXSIZE": "5000",
        "DEEPCOPY_FROM_AGGREGATE_CACHE": "n",
    }

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self._command_lock = RLock()
        self._loaded: list[UUID] = []
        self._in_command = False
        self._absent: set[UUID] = set()  # known not to exist at ``_position``
        super().__init__(env)
        # The store position the cache (and ``_absent``) is valid at, when the recorder
        # checks it at each write; None where it does not and reads fast-forward instead.
        self._position: int | None = None
        if getattr(self.recorder, "checks_expected_position", False):
            self._position = self.recorder.max_notification_id() or 0

    def construct_repository(self) -> Repository[UUID]:
        repository = super().construct_repository()
        # Where the write checks the position, a read need not fast-forward: the library
        # then puts each saved aggregate into the cache instead.
        if getattr(self.recorder, "checks_expected_position", False):
            repository.fastforward = False
        # The cache a read may take an aggregate from directly, where this repository would
        # return the cached object itself (no fast-forward, no deep copy) and is the one in use
        # (a subclass may stand another in its place).
        self._reads_from = repository
        self._reads_cache: Cache[UUID, Any] | None = (
            repository.cache
            if not repository.fastforward and not repository.deepcopy_from_cache
            else None
        )
        return repository

    def construct_transcoder(self) -> Transcoder:
        """The library's transcoder, but decoding with orjson (``FastJSONTranscoder``).

        Only where the library would use its plain JSON transcoder: a transcoder chosen in
        the environment (``TRANSCODER``) is kept as it is.
        """
        transcoder = super().construct_transcoder()
        if type(transcoder) is JSONTranscoder:
            transcoder = FastJSONTranscoder()
            self.register_transcodings(transcoder)
        return transcoder

    def construct_mapper(self) -> Mapper[UUID]:
        """The library's mapper, or ``FastMapper`` where that one would be a plain JSON mapper
        (no compressor, no cipher, monev's transcoder): the same stored events, sooner."""
        mapper = super().construct_mapper()
        if (
            type(mapper) is Mapper
            and mapper.compressor is None
            and mapper.cipher is None
            and type(mapper.transcoder) is FastJSONTranscoder
        ):
            return FastMapper(mapper.transcoder)
        return mapper

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(ActorAsDict())

    # -- running commands on current state ------------------------------------------------

    def _run(
        self,
        method: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        *,
        catch_up_first: bool,
    ) -> Any:
        with self._command_lock:
            if self._in_command:  # called from inside a command: part of that one
                return method(self, *args, **kwargs)
            for attempt in range(1, ATTEMPTS + 1):
                self._loaded.clear()
                self._in_command = True
                try:
                    if catch_up_first:
                        self._catch_up()
                    return method(self, *args, **kwargs)
                except StoreMovedError:
                    self._forget_loaded()
                    self._catch_up()
                    if attempt == ATTEMPTS:
                        raise ConflictError(
                            "Others kept changing the records this needs; nothing was stored. "
                            "Please try again."
                        ) from None
                except MonevError:
                    self._forget_loaded()
                    # Refused on what memory held: only say so if that is still the store's state.
                    if not self._catch_up() or attempt == ATTEMPTS:
                        raise
                except BaseException:
                    self._forget_loaded()
                    raise
                finally:
                    self._in_command = False
            raise AssertionError  # pragma: no cover - the loop returns or raises

    def _catch_up(self) -> bool:
        """Brings the memory to the store's newest position; True if others had stored events."""
        if self._position is None:
            return False
        newest = self.recorder.max_notification_id() or 0
        if newest == self._position:
            return False
        if newest - self._position > CATCH_UP_SCAN_LIMIT:
            self._forget_everything()
        else:
            for notification in self.recorder.select_notifications(
                start=self._position + 1, limit=newest - self._position, stop=newest
            ):
                self._forget(UUID(str(notification.originator_id)))
        self._position = newest
        return True

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        """Saves as the library does; in a command, only if the store is still where it was."""
        if self._position is None or not self._in_command:
            # Outside a command nothing was decided on memory; the next command's write
            # finds the store moved by these events and catches up.
            return self._store(objs, kwargs)
        recordings = self._store(objs, {**kwargs, "expected_position": self._position})
        if recordings:
            self._position = recordings[-1].notification.id
            for recording in recordings:
                self._absent.discard(recording.domain_event.originator_id)
        return recordings

    def _store(self, objs: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Recording[UUID]]:
        """The library's ``Application.save`` (eventsourcing 9.5.6), minus its slow detours.

        The library tells aggregates from events with runtime-checkable protocols; on Python
        3.11 those two ``isinstance`` calls cost about 75 µs of CPU per aggregate saved
        (measured on the busy bench machine, where a raw commit cost about 330 µs). Aggregates
        are recognised here by their class, and a save of aggregates alone (every command's)
        goes straight to the mapper and the recorder, as ``Application._record`` and
        ``EventStore.put`` do, without the objects they pass along. Anything else (events, a
        snapshotting application) goes the library's way.
        """
        if self.snapshots is None and (
            (len(objs) == 1 and isinstance(objs[0], Aggregate))  # a command's usual save
            or all(isinstance(o, Aggregate) or o is None for o in objs)
        ):
            return self._store_aggregates(objs, kwargs)
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        for obj in objs:
            if isinstance(obj, Aggregate):
                processing_event.events.extend(obj.collect_events())
                processing_event.aggregates[obj.id] = obj
            elif obj is not None:
                processing_event.collect_events(obj)
        processing_event.saved_kwargs.update(kwargs)
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # deprecated, but the library's save calls it
        return recordings

    def _store_aggregates(
        self, aggregates: tuple[Aggregate | None, ...], kwargs: dict[str, Any]
    ) -> list[Recording[UUID]]:
        events: list[Any] = []
        new: list[Aggregate] = []
        for aggregate in aggregates:
            if aggregate is not None:
                pending = aggregate.collect_events()
                if pending and pending[0].originator_version == 1:
                    new.append(aggregate)
                events.extend(pending)
        to_stored_event = self.mapper.to_stored_event
        stored = [to_stored_event(e) for e in events]
        ids = self.recorder.insert_events(stored, **kwargs)
        recordings: list[Recording[UUID]] = (
            [
                Recording(
                    e, Notification(s.originator_id, s.originator_version, s.topic, s.state, i)
                )
                for e, s, i in zip(events, stored, ids, strict=True)
            ]
            if ids
            else []
        )
        repository = self.repository
        cache = repository.cache
        if cache is not None and not repository.fastforward:
            # Where reads hand out the cached objects themselves (``_reads_cache``), only new
            # aggregates are put into the cache, unlike the library's save: any other was read
            # before it changed, and a read leaves what it read in the cache (``Repository.get``
            # puts what it reads from the store), so putting it again only moved it up the LRU
            # order at the cost of a lock and a relinking. One the cache may have let go
            # meanwhile is read from the store next time, as after any eviction. Where reads
            # copy, the copy that changed must replace the cached original, as the library's.
            for aggregate in new if self._reads_cache is cache else aggregates:
                if aggregate is not None:
                    cache.put(aggregate.id, aggregate)
        self._notify(recordings)
        self.notify(events)  # deprecated, but the library's save calls it
        return recordings

    # -- helpers ------------------------------------------------------------------------

    def _forget(self, aggregate_id: UUID) -> None:
        self._absent.discard(aggregate_id)
        if self.repository.cache is not None:
            with suppress(KeyError):
                self.repository.cache.get(aggregate_id, evict=True)

    def _forget_everything(self) -> None:
        self._absent.clear()
        cache = self.repository.cache
        if isinstance(cache, LRUCache):
            for aggregate_id in list(cache.cache):
                with suppress(KeyError):
                    cache.get(aggregate_id, evict=True)

    def _forget_loaded(self) -> None:
        cache = self.repository.cache
        for aggregate_id in self._loaded:
            if cache is not None:
                with suppress(KeyError):
                    cache.get(aggregate_id, evict=True)
        self._loaded.clear()

    def _read(self, aggregate_id: UUID) -> Any:
        """The aggregate, or None when it does not exist (remembered where memory is checked)."""
        self._loaded.append(aggregate_id)
        if aggregate_id in self._absent:
            return None
        if self._reads_cache is not None and self.repository is self._reads_from:
            # What ``Repository.get`` does with a cached aggregate when it neither
            # fast-forwards nor copies, without its arguments and branches.
            try:
                return self._reads_cache.get(aggregate_id)
            except KeyError:
                pass
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            if self._position is not None:
                # Aggregates are never removed, so absent now means absent at ``_position``.
                if len(self._absent) >= ABSENT_LIMIT:
                    self._absent.clear()
                self._absent.add(aggregate_id)
            return None

    def _get(self, cls: type[A], key: str, what: str) -> A:
        aggregate: A | None = self._read(cls.create_id(key))  # type: ignore[attr-defined]
        if aggregate is None:
            raise NotFoundError("{what} '{key}' is not registered.", what=what, key=key)
        return aggregate

    def _save_new(
        self, aggregate: Aggregate, duplicate: str, *others: Aggregate, **params: Any
    ) -> UUID:
        """Saves a new aggregate; ``duplicate`` (with ``params``) is the refusal if it exists."""
        try:
            self.save(aggregate, *others)
        except IntegrityError:
            raise DuplicateError(duplicate, **params) from None
        return aggregate.id

    def _save(self, *aggregates: Aggregate) -> None:
        try:
            self.save(*aggregates)
        except IntegrityError:
            raise ConflictError(
                "Someone else changed the same record at the same moment; please try again."
            ) from None

    def _opd(self, code: str) -> Opd:
        return self._get(Opd, normalise_code(code, "OPD"), "OPD")

    def _activity(self, code: str) -> Activity:
        return self._get(Activity, normalise_code(code, "Activity"), "Activity")

    def _own_activity(self, actor: Actor, code: str, what: str) -> Activity:
        """An activity the actor may record on; refused alike when unknown or not theirs."""
        return require_own_record(
            actor,
            lambda: self._activity(code),
            lambda found: found.participant_opds,
            what,
            f"activity '{str(code).strip().upper()}'",
        )

    def _review(self, quarter: Quarter) -> QuarterReview | None:
        review: QuarterReview | None = self._read(QuarterReview.create_id(quarter.code))
        return review

    def _check_quarter_open(self, quarter: Quarter) -> None:
        review = self._review(quarter)
        if review is not None:
            review.check_open()

    # -- agencies -----------------------------------------------------------------------

    @command
    def register_opd(self, actor: Actor, *, code: str, name: str, short_name: str = "") -> UUID:
        """Registers an agency (division staff only)."""
        actor.check_admin("register an OPD")
        code = normalise_code(code, "OPD")
        opd = Opd(
            code=code,
            name=required_text(name, "OPD name"),
            short_name=optional_text(short_name, "Short name", max_length=40) or code,
            actor=actor,
        )
        return self._save_new(opd, "OPD code '{code}' is already registered.", code=code)

    # -- planning -----------------------------------------------------------------------

    @command
    def register_program(
        self, actor: Actor, *, code: str, name: str, opd_code: str, fiscal_year: int
    ) -> UUID:
        """Registers a program led by one OPD; OPD staff may register their own."""
        opd = self._opd(require_agency(actor, opd_code, "register a program"))
        code = normalise_code(code, "Program")
        year = count(fiscal_year, "Fiscal year")
        Quarter(year, 1)  # validates the year
        program = Program(
            code=code,
            name=required_text(name, "Program name"),
            opd_code=opd.code,
            fiscal_year=year,
            actor=actor,
        )
        return self._save_new(program, "Program code '{code}' is already registered.", code=code)

    @command
    def join_program(self, actor: Actor, *, program_code: str, opd_code: str, role: str) -> None:
        """Adds an OPD to a program as coordinator or member (division staff only)."""
        actor.check_admin("add an OPD to a program")
        role = one_of(role, PROGRAM_ROLES, "Program role")
        opd = self._opd(opd_code)
        program = self._get(Program, normalise_code(program_code, "Program"), "Program")
        program.join(opd.code, role, actor)
        self._save(program)

    @command
    def register_activity(
        self,
        actor: Actor,
        *,
        code: str,
        program_code: str,
        opd_code: str,
        name: str,
        pagu_rp: int,
        indicator_name: str,
        indicator_unit: str,
        indicator_kind: str,
        annual_target: float,
        quarterly_targets: Sequence[float],
        kecamatan: str | None = None,
        fiscal_year: int | None = None,
    ) -> UUID:
        """Registers an activity of a program, run by one OPD, optionally in one kecamatan."""
        opd = self._opd(require_agency(actor, opd_code, "register an activity"))
        program = self._get(Program, normalise_code(program_code, "Program"), "Program")
        require_program_participant(program.code, program.opd_code, program.members, opd.code)
        year = program.fiscal_year if fiscal_year is None else count(fiscal_year, "Fiscal year")
        if year != program.fiscal_year:
            raise InvalidInputError(
                "Program {program} is for fiscal year {program_year}, not {year}.",
                program=program.code,
                program_year=program.fiscal_year,
                year=year,
            )
        kind = one_of(indicator_kind, INDICATOR_KINDS, "Indicator kind")
        annual, targets = check_targets(kind, annual_target, quarterly_targets)
        code = normalise_code(code, "Activity")
        activity = Activity(
            code=code,
            program_code=program.code,
            opd_code=opd.code,
            name=required_text(name, "Activity name"),
            kecamatan_code=None if kecamatan is None else resolve_kecamatan(kecamatan),
            fiscal_year=year,
            pagu_rp=rupiah(pagu_rp, "Pagu (budget)"),
            indicator_name=required_text(indicator_name, "Indicator name"),
            indicator_unit=required_text(indicator_unit, "Indicator unit", max_length=40),
            indicator_kind=kind,
            annual_target=annual,
            quarterly_targets=targets,
            is_joint=False,
            actor=actor,
        )
        return self._save_new(activity, "Activity code '{code}' is already registered.", code=code)

    @command
    def revise_activity_targets(
        self,
        actor: Actor,
        *,
        activity_code: str,
        annual_target: float,
        quarterly_targets: Sequence[float],
        reason: str,
        pagu_rp: int | None = None,
    ) -> None:
        """Revises an activity's targets (and optionally its pagu), with the reason why."""
        activity = self._own_activity(actor, activity_code, "revise the targets of an activity")
        annual, targets = check_targets(activity.indicator_kind, annual_target, quarterly_targets)
        activity.revise_targets(
            pagu_rp=activity.pagu_rp if pagu_rp is None else rupiah(pagu_rp, "Pagu (budget)"),
            annual_target=annual,
            quarterly_targets=targets,
            reason=required_text(reason, "Reason for the revision"),
            actor=actor,
        )
        self._save(activity)

    @command
    def identify_problem(
        self,
        actor: Actor,
        *,
        code: str,
        title: str,
        category: str,
        kecamatan: str | None = None,
    ) -> UUID:
        """Records a problem found in the field (division staff only)."""
        actor.check_admin("identify a problem")
        code = normalise_code(code, "Problem")
        problem = Problem(
            code=code,
            title=required_text(title, "Problem title"),
            category=one_of(category, PROBLEM_CATEGORIES, "Problem category"),
            kecamatan_code=None if kecamatan is None else resolve_kecamatan(kecamatan),
            actor=actor,
        )
        return self._save_new(problem, "Problem code '{code}' is already registered.", code=code)

    @command
    def map_activity_to_problem(
        self, actor: Actor, *, activity_code: str, problem_code: str
    ) -> None:
        """Says that an activity addresses a problem."""
        activity = self._own_activity(actor, activity_code, "map an activity to a problem")
        problem = self._get(Problem, normalise_code(problem_code, "Problem"), "Problem")
        activity.map_to_problem(problem.code, actor)
        self._save(activity)

    @command
    def merge_activities(
        self,
        actor: Actor,
        *,
        joint_code: str,
        name: str,
        lead_opd_code: str,
        activity_codes: Iterable[str],
    ) -> UUID:
        """Merges activities of different OPDs into one joint activity (division staff only).

        The joint activity takes the lead activity's indicator, the summed budget and, where
        the units agree, the summed targets; the originals close as merged into it. All of it
        is saved in one transaction.
        """
        actor.check_admin("merge activities")
        codes = list(dict.fromkeys(normalise_code(c, "Activity") for c in activity_codes))
        if len(codes) < 2:
            raise InvalidInputError("A merge needs at least two different activities.")
        originals = [self._activity(c) for c in codes]
        for original in originals:
            original.check_not_merged()
        opds = {a.opd_code for a in originals}
        if len(opds) < 2:
            raise InvalidInputError(
                "Only activities of different OPDs are merged into a joint activity; all of these "
                "belong to {opd}.",
                opd=opds.pop(),
            )
        years = {a.fiscal_year for a in originals}
        if len(years) > 1:
            raise InvalidInputError(
                "Activities of different fiscal years cannot be merged ({years}).",
                years=sorted(years),
            )
        lead_opd = normalise_code(lead_opd_code, "OPD")
        leads = [a for a in originals if a.opd_code == lead_opd]
        if not leads:
            raise InvalidInputError(
                "The lead OPD {lead_opd} runs none of the activities being merged.",
                lead_opd=lead_opd,
            )
        lead = leads[0]
        same_unit = all(
            a.indicator_unit == lead.indicator_unit and a.indicator_kind == lead.indicator_kind
            for a in originals
        )
        if same_unit:
            annual = sum(a.annual_target for a in originals)
            targets = tuple(sum(a.quarterly_targets[i] for a in originals) for i in range(4))
        else:
            annual, targets = lead.annual_target, lead.quarterly_targets
        joint_code = normalise_code(joint_code, "Joint activity")
        kecamatans = {a.kecamatan_code for a in originals}
        joint = Activity(
            code=joint_code,
            program_code=lead.program_code,
            opd_code=lead_opd,
            name=required_text(name, "Joint activity name"),
            kecamatan_code=kecamatans.pop() if len(kecamatans) == 1 else None,
            fiscal_year=lead.fiscal_year,
            pagu_rp=sum(a.pagu_rp for a in originals),
            indicator_name=lead.indicator_name,
            indicator_unit=lead.indicator_unit,
            indicator_kind=lead.indicator_kind,
            annual_target=annual,
            quarterly_targets=targets,
            is_joint=True,
            actor=actor,
        )
        joint.record_merge(originals, lead_opd, actor)
        for original in originals:
            original.close_as_merged(joint_code, actor)
        return self._save_new(
            joint, "Activity code '{code}' is already registered.", *originals, code=joint_code
        )

    # -- evaluation ---------------------------------------------------------------------

    @command
    def hold_rakor(
        self,
        actor: Actor,
        *,
        quarter: str,
        held_on: date,
        attending_opd_codes: Iterable[str] = (),
        notes: str = "",
    ) -> UUID:
        """Records the quarter's coordination-and-evaluation meeting (division staff only)."""
        actor.check_admin("record a rakor")
        q = Quarter.parse(quarter)
        attending = tuple(dict.fromkeys(self._opd(c).code for c in attending_opd_codes))
        if held_on < date(q.year, 3 * q.number - 2, 1):
            raise InvalidInputError(
                "A rakor for {quarter} cannot be held on {held_on}, before it began.",
                quarter=q.label,
                held_on=held_on.isoformat(),
            )
        review = QuarterReview(
            quarter=q.code,
            held_on=held_on,
            attending_opd_codes=attending,
            notes=optional_text(notes, "Notes"),
            actor=actor,
        )
        return self._save_new(
            review, "The rakor for {quarter} is already recorded.", quarter=q.label
        )

    @command
    def close_quarter(self, actor: Actor, *, quarter: str) -> None:
        """Locks the quarter's evaluations after its rakor (division staff only)."""
        actor.check_admin("close a quarter")
        q = Quarter.parse(quarter)
        review = self._review(q)
        if review is None:
            raise ConflictError(
                "{quarter} has no rakor recorded yet; hold the rakor before closing it.",
                quarter=q.label,
            )
        review.close(actor)
        self._save(review)

    @command
    def record_evaluation(
        self,
        actor: Actor,
        *,
        activity_code: str,
        quarter: str,
        physical_pct: float,
        financial_rp: int,
        indicator_value: float,
        drivers: str = "",
        obstacles: str = "",
    ) -> None:
        """Records (or, while the quarter is open, replaces) an activity's quarterly realisation."""
        activity = self._own_activity(actor, activity_code, "record an evaluation")
        q = Quarter.parse(quarter)
        values = _realisation(physical_pct, financial_rp, indicator_value)
        activity.check_not_merged()
        self._check_quarter_open(q)
        activity.record_evaluation(
            quarter=q,
            **values,
            drivers=optional_text(drivers, "Drivers"),
            obstacles=optional_text(obstacles, "Obstacles"),
            actor=actor,
        )
        self._save(activity)

    @command
    def correct_evaluation(
        self,
        actor: Actor,
        *,
        activity_code: str,
        quarter: str,
        physical_pct: float,
        financial_rp: int,
        indicator_value: float,
        reason: str,
        drivers: str = "",
        obstacles: str = "",
    ) -> None:
        """Corrects a recorded evaluation, also in a closed quarter, always with a reason."""
        activity = self._own_activity(actor, activity_code, "correct an evaluation")
        q = Quarter.parse(quarter)
        values = _realisation(physical_pct, financial_rp, indicator_value)
        activity.correct_evaluation(
            quarter=q,
            **values,
            drivers=optional_text(drivers, "Drivers"),
            obstacles=optional_text(obstacles, "Obstacles"),
            reason=required_text(reason, "Reason for the correction"),
            actor=actor,
        )
        self._save(activity)

    @command
    def issue_recommendation(
        self,
        actor: Actor,
        *,
        code: str,
        quarter: str,
        opd_code: str,
        text: str,
        due_quarter: str,
        activity_code: str | None = None,
        problem_code: str | None = None,
    ) -> UUID:
        """Issues a rakor recommendation to one OPD (division staff only)."""
        actor.check_admin("issue a recommendation")
        q, due = Quarter.parse(quarter), Quarter.parse(due_quarter)
        if due < q:
            raise InvalidInputError(
                "The due quarter {due} comes before the rakor's {quarter}.",
                due=due.label,
                quarter=q.label,
            )
        opd = self._opd(opd_code)
        activity = self._activity(activity_code).code if activity_code else None
        problem = (
            self._get(Problem, normalise_code(problem_code, "Problem"), "Problem").code
            if problem_code
            else None
        )
        code = normalise_code(code, "Recommendation")
        recommendation = Recommendation(
            code=code,
            quarter=q.code,
            opd_code=opd.code,
            text=required_text(text, "Recommendation text", max_length=2000),
            due_quarter=due.code,
            activity_code=activity,
            problem_code=problem,
            actor=actor,
        )
        return self._save_new(
            recommendation, "Recommendation code '{code}' is already used.", code=code
        )

    @command
    def follow_up_recommendation(
        self, actor: Actor, *, code: str, quarter: str, progress: str, is_done: bool = False
    ) -> None:
        """Records a tindak lanjut: only the recommendation's OPD or division staff."""
        recommendation = require_own_record(
            actor,
            lambda: self._get(
                Recommendation, normalise_code(code, "Recommendation"), "Recommendation"
            ),
            lambda found: (found.opd_code,),
            "follow up a recommendation",
            f"recommendation '{str(code).strip().upper()}'",
        )
        recommendation.follow_up(
            Quarter.parse(quarter),
            required_text(progress, "Follow-up progress", max_length=2000),
            bool(is_done),
            actor,
        )
        self._save(recommendation)

    # -- Satrya Emas --------------------------------------------------------------------

    @command
    def define_service_region(
        self, actor: Actor, *, code: str, name: str, kecamatan: Iterable[str]
    ) -> UUID:
        """Defines a Satrya Emas service region (division staff only)."""
        actor.check_admin("define a service region")
        codes = tuple(dict.fromkeys(resolve_kecamatan(k) for k in kecamatan))
        if not codes:
            raise InvalidInputError("A service region covers at least one kecamatan.")
        code = normalise_code(code, "Service region")
        region = ServiceRegion(
            code=code, name=required_text(name, "Region name"), kecamatan_codes=codes, actor=actor
        )
        return self._save_new(region, "Service region '{code}' is already defined.", code=code)

    @command
    def register_mentor(
        self,
        actor: Actor,
        *,
        code: str,
        name: str,
        recruited_by_opd: str,
        kind: str,
        registered_on: date,
    ) -> UUID:
        """Registers a mentor recruited through an OPD (division staff only)."""
        actor.check_admin("register a mentor")
        opd = self._opd(recruited_by_opd)
        code = normalise_code(code, "Mentor")
        mentor = Mentor(
            code=code,
            name=required_text(name, "Mentor name"),
            recruited_by_opd=opd.code,
            kind=one_of(kind, MENTOR_KINDS, "Mentor kind"),
            registered_on=registered_on,
            actor=actor,
        )
        return self._save_new(mentor, "Mentor code '{code}' is already registered.", code=code)

    @command
    def assign_mentor(
        self, actor: Actor, *, mentor_code: str, kecamatan: str, from_date: date
    ) -> None:
        """Assigns a mentor to a kecamatan from a date; a second kecamatan makes it 'dobel'."""
        actor.check_admin("assign a mentor")
        mentor = self._get(Mentor, normalise_code(mentor_code, "Mentor"), "Mentor")
        mentor.assign(resolve_kecamatan(kecamatan), from_date, actor)
        self._save(mentor)

    @command
    def unassign_mentor(
        self, actor: Actor, *, mentor_code: str, kecamatan: str, to_date: date, reason: str = ""
    ) -> None:
        """Ends a mentor's assignment to a kecamatan."""
        actor.check_admin("unassign a mentor")
        mentor = self._get(Mentor, normalise_code(mentor_code, "Mentor"), "Mentor")
        mentor.unassign(
            resolve_kecamatan(kecamatan), to_date, optional_text(reason, "Reason"), actor
        )
        self._save(mentor)

    @command
    def evaluate_mentor_commitment(
        self,
        actor: Actor,
        *,
        mentor_code: str,
        quarter: str,
        score: float,
        reports_submitted: int,
        umkm_assisted: int,
        umkm_target: int,
        permits_facilitated: int = 0,
        notes: str = "",
    ) -> None:
        """Scores a mentor's commitment and results for a quarter (division staff only)."""
        actor.check_admin("evaluate a mentor")
        mentor = self._get(Mentor, normalise_code(mentor_code, "Mentor"), "Mentor")
        mentor.evaluate_commitment(
            quarter=Quarter.parse(quarter).code,
            score=percentage(score, "Commitment score"),
            reports_submitted=count(reports_submitted, "Reports submitted"),
            umkm_assisted=count(umkm_assisted, "UMKM assisted"),
            umkm_target=count(umkm_target, "UMKM target"),
            permits_facilitated=count(permits_facilitated, "Permits facilitated"),
            notes=optional_text(notes, "Notes"),
            actor=actor,
        )
        self._save(mentor)

    # -- queries used by the entry points ------------------------------------------------

    @query
    def get_activity(self, code: str) -> Activity:
        return self._activity(code)

    @query
    def get_opd(self, code: str) -> Opd:
        return self._opd(code)

    @query
    def get_recommendation(self, code: str) -> Recommendation:
        return self._get(Recommendation, normalise_code(code, "Recommendation"), "Recommendation")

    @query
    def get_mentor(self, code: str) -> Mentor:
        return self._get(Mentor, normalise_code(code, "Mentor"), "Mentor")

    def last_position(self) -> int:
        """The newest notification id: a refused command leaves it unchanged."""
        return self.recorder.max_notification_id() or 0


def _realisation(physical_pct: float, financial_rp: int, indicator_value: float) -> dict[str, Any]:
    return {
        "physical_pct": percentage(physical_pct, "Physical realisation"),
        "financial_rp": rupiah(financial_rp, "Financial realisation"),
        "indicator_value": quantity(indicator_value, "Indicator"),
    }
