"""The application service: one method per domain command.

Each command checks the actor, validates its input, loads what it needs, calls the aggregate
and saves everything it changed in one call, which the store writes in one transaction. A
refused command raises a MonevError before anything is saved, so nothing is stored.

Other processes (the dashboard, the command line, an import) write to the same store. Reads
fast-forward the aggregates the library caches, and each command's write is checked against
the store position it began at (``domain.concurrency``), so a command never acts on stale
state, whatever the cache settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from datetime import date
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, Repository
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoder

from domain import topics  # noqa: F401 - stored topics resolve to classes not yet imported
from domain.actors import Actor
from domain.authorisation import (
    require_agency,
    require_own_record,
    require_program_participant,
)
from domain.concurrency import CommandGuard
from domain.errors import (
    ConflictError,
    DuplicateError,
    InvalidInputError,
    NotFoundError,
)
from domain.kecamatan import resolve_kecamatan
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
from domain.targets import check_targets
from domain.transcodings import ActorAsDict, DateAsISO, OrjsonTranscoder

if TYPE_CHECKING:  # each command imports the aggregates it touches (``domain.topics``)
    from domain.activities import Activity
    from domain.agencies import Opd
    from domain.quarter_reviews import QuarterReview
    from domain.recommendations import Recommendation
    from domain.satrya_emas import Mentor

A = TypeVar("A", bound=Aggregate)
F = TypeVar("F", bound=Callable[..., Any])


def command(method: F) -> F:
    """Runs a command alone, checked at its write against the store's end (``CommandGuard``)."""

    @wraps(method)
    def run(self: Monev, *args: Any, **kwargs: Any) -> Any:
        return self.guard.run(lambda: method(self, *args, **kwargs))

    return run  # type: ignore[return-value]


def query(method: F) -> F:
    """Runs a read alone; what it reads is fast-forwarded to the store's end."""

    @wraps(method)
    def run(self: Monev, *args: Any, **kwargs: Any) -> Any:
        return self.guard.query(lambda: method(self, *args, **kwargs))

    return run  # type: ignore[return-value]


class Monev(Application[UUID]):
    """monev's write side. Every method takes the acting user first."""

    name = "monev"
    env = {"AGGREGATE_CACHE_MAXSIZE": "5000"}  # noqa: RUF012

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.guard = CommandGuard(self.store_end, self.forget)
        super().__init__(env)

    def construct_repository(self) -> Repository[UUID]:
        """The library's repository, always fast-forwarding what it hands out from its cache.

        Whatever an operator sets (``AGGREGATE_CACHE_FASTFORWARD``, ``…_SKIPPING``), a cached
        aggregate must catch up with what other processes stored before a command uses it.
        """
        repository = super().construct_repository()
        repository.fastforward = True
        repository.fastforward_skipping = False
        return repository

    def construct_transcoder(self) -> Transcoder:
        """``OrjsonTranscoder`` where the library would use its JSON transcoder.

        A transcoder chosen in the environment (``TRANSCODER_TOPIC``) is kept as it is.
        """
        transcoder = super().construct_transcoder()
        if type(transcoder) is not JSONTranscoder:
            return transcoder
        fast = OrjsonTranscoder()
        for transcoding in transcoder.types.values():
            fast.register(transcoding)
        return fast

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(ActorAsDict())

    # -- what ``CommandGuard`` needs -----------------------------------------------------

    def store_end(self) -> int | None:
        """Where the store ends, where the recorder checks a write against it; else None."""
        if not getattr(self.recorder, "checks_expected_position", False):
            return None
        return self.recorder.max_notification_id() or 0

    def forget(self, aggregate_id: UUID) -> None:
        """Drops an aggregate from the cache (a failed command may have changed it)."""
        cache = getattr(self.repository, "cache", None)
        if cache is not None:
            with suppress(KeyError):
                cache.get(aggregate_id, evict=True)

    # -- helpers ------------------------------------------------------------------------

    def _fetch(self, aggregate_id: UUID) -> Any:
        """The aggregate, or None when it does not exist."""
        self.guard.noted(aggregate_id)
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def _get(self, cls: type[A], key: str, what: str) -> A:
        aggregate: A | None = self._fetch(cls.create_id(key))  # type: ignore[attr-defined]
        if aggregate is None:
            raise NotFoundError("{what} '{key}' is not registered.", what=what, key=key)
        return aggregate

    def _save_new(
        self, aggregate: Aggregate, duplicate: str, *others: Aggregate, **params: Any
    ) -> UUID:
        """Saves a new aggregate; ``duplicate`` (with ``params``) is the refusal if it exists."""
        try:
            self.save(aggregate, *others, **self.guard.write_kwargs())
        except IntegrityError:
            raise DuplicateError(duplicate, **params) from None
        return aggregate.id

    def _save(self, *aggregates: Aggregate) -> None:
        try:
            self.save(*aggregates, **self.guard.write_kwargs())
        except IntegrityError:
            raise ConflictError(
                "Someone else changed the same record at the same moment; please try again."
            ) from None

    def _opd(self, code: str) -> Opd:
        from domain.agencies import Opd

        return self._get(Opd, normalise_code(code, "OPD"), "OPD")

    def _activity(self, code: str) -> Activity:
        from domain.activities import Activity

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
        from domain.quarter_reviews import QuarterReview

        review: QuarterReview | None = self._fetch(QuarterReview.create_id(quarter.code))
        return review

    def _check_quarter_open(self, quarter: Quarter) -> None:
        review = self._review(quarter)
        if review is not None:
            review.check_open()

    # -- agencies -----------------------------------------------------------------------

    @command
    def register_opd(self, actor: Actor, *, code: str, name: str, short_name: str = "") -> UUID:
        """Registers an agency (division staff only)."""
        from domain.agencies import Opd

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
        from domain.programs import Program

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
        from domain.programs import PROGRAM_ROLES, Program

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
        from domain.activities import INDICATOR_KINDS, Activity
        from domain.programs import Program

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
        from domain.problems import PROBLEM_CATEGORIES, Problem

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
        from domain.problems import Problem

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
        from domain.activities import Activity

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
        from domain.quarter_reviews import QuarterReview

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
        from domain.problems import Problem
        from domain.recommendations import Recommendation

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
        from domain.recommendations import Recommendation

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
        from domain.satrya_emas import ServiceRegion

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
        from domain.satrya_emas import MENTOR_KINDS, Mentor

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
        from domain.satrya_emas import Mentor

        actor.check_admin("assign a mentor")
        mentor = self._get(Mentor, normalise_code(mentor_code, "Mentor"), "Mentor")
        mentor.assign(resolve_kecamatan(kecamatan), from_date, actor)
        self._save(mentor)

    @command
    def unassign_mentor(
        self, actor: Actor, *, mentor_code: str, kecamatan: str, to_date: date, reason: str = ""
    ) -> None:
        """Ends a mentor's assignment to a kecamatan."""
        from domain.satrya_emas import Mentor

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
        from domain.satrya_emas import Mentor

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
        from domain.recommendations import Recommendation

        return self._get(Recommendation, normalise_code(code, "Recommendation"), "Recommendation")

    @query
    def get_mentor(self, code: str) -> Mentor:
        from domain.satrya_emas import Mentor

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
