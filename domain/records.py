"""What is recorded now: a small read model of the event store, for listing and showing records.

The command line lists OPDs, programs, activities, problems, mentors, recommendations and
quarters straight from the event store, so the answer is current the moment a command is stored,
before any warehouse refresh. The warehouse (dbt marts) stays the place for reports and figures;
this model only says which records exist and their state, the way the aggregates see it.

It is fed by the application's notification log through the library's public API
(``Application.recorder.select_notifications`` and ``Application.mapper.to_domain_event``), a
page at a time from the position it has read up to, so catching up after new commands reads
only the new events. It never loads aggregates and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.application import Application

from domain.activities import Activity
from domain.agencies import Opd
from domain.problems import Problem
from domain.programs import Program
from domain.quarter_reviews import QuarterReview
from domain.quarters import Quarter
from domain.recommendations import Recommendation
from domain.satrya_emas import Mentor, ServiceRegion

PAGE = 1000


@dataclass
class OpdRecord:
    code: str
    name: str
    short_name: str


@dataclass
class ProgramRecord:
    code: str
    name: str
    opd_code: str  # the lead OPD, which registered it
    fiscal_year: int
    members: dict[str, str] = field(default_factory=dict)  # OPD code -> coordinator | member
    activities: list[str] = field(default_factory=list)

    @property
    def coordinator(self) -> str | None:
        return next((o for o, role in self.members.items() if role == "coordinator"), None)


@dataclass
class Revision:
    revised_at: str
    pagu_rp: int
    annual_target: float
    quarterly_targets: tuple[float, ...]
    reason: str


@dataclass
class Evaluation:
    quarter: str
    physical_pct: float
    financial_rp: int
    indicator_value: float
    corrections: int = 0


@dataclass
class ActivityRecord:
    code: str
    name: str
    program_code: str
    opd_code: str
    kecamatan_code: str | None
    fiscal_year: int
    pagu_rp: int
    indicator_name: str
    indicator_unit: str
    indicator_kind: str
    annual_target: float
    quarterly_targets: tuple[float, ...]
    is_joint: bool
    participant_opds: tuple[str, ...] = ()
    problems: list[str] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    evaluations: dict[str, Evaluation] = field(default_factory=dict)
    merged_into: str | None = None
    merged_from: tuple[str, ...] = ()

    @property
    def financial_realised_rp(self) -> int:
        return sum(e.financial_rp for e in self.evaluations.values())


@dataclass
class ProblemRecord:
    code: str
    title: str
    category: str
    kecamatan_code: str | None
    activities: list[str] = field(default_factory=list)


@dataclass
class MentorRecord:
    code: str
    name: str
    recruited_by_opd: str
    kind: str
    registered_on: date
    assignments: dict[str, date] = field(default_factory=dict)  # kecamatan -> since
    evaluated_quarters: list[str] = field(default_factory=list)


@dataclass
class FollowUp:
    quarter: str
    progress: str
    is_done: bool


@dataclass
class RecommendationRecord:
    code: str
    quarter: str
    opd_code: str
    text: str
    due_quarter: str
    activity_code: str | None
    problem_code: str | None
    follow_ups: list[FollowUp] = field(default_factory=list)

    @property
    def is_done(self) -> bool:
        return bool(self.follow_ups) and self.follow_ups[-1].is_done

    def status(self, as_of: str | None) -> str:
        """done; overdue when undone and its due quarter is before ``as_of``; else open.

        The same rule as the warehouse's ``int_recommendation_quarters_tracked``.
        """
        if self.is_done:
            return "done"
        if as_of is not None and Quarter.parse(self.due_quarter) < Quarter.parse(as_of):
            return "overdue"
        return "open"


@dataclass
class QuarterRecord:
    quarter: str
    rakor_held_on: date | None = None
    attending_opd_codes: tuple[str, ...] = ()
    is_closed: bool = False
    evaluations: int = 0


@dataclass
class RegionRecord:
    code: str
    name: str
    kecamatan_codes: tuple[str, ...]


class Records:
    """The records as of the newest event read; ``catch_up`` reads the events stored since."""

    def __init__(self) -> None:
        self.position = 0
        self.opds: dict[str, OpdRecord] = {}
        self.programs: dict[str, ProgramRecord] = {}
        self.activities: dict[str, ActivityRecord] = {}
        self.problems: dict[str, ProblemRecord] = {}
        self.mentors: dict[str, MentorRecord] = {}
        self.recommendations: dict[str, RecommendationRecord] = {}
        self.quarters: dict[str, QuarterRecord] = {}
        self.regions: dict[str, RegionRecord] = {}
        self._by_id: dict[UUID, Any] = {}

    def catch_up(self, app: Application[UUID]) -> Records:
        """Reads the notifications after ``position`` (public API) and applies their events."""
        while True:
            notifications = app.recorder.select_notifications(start=self.position + 1, limit=PAGE)
            if not notifications:
                return self
            for notification in notifications:
                self.apply(app.mapper.to_domain_event(notification))
                self.position = notification.id

    @property
    def latest_quarter(self) -> str | None:
        """The newest quarter with a rakor, an evaluation or a follow-up: "now" for statuses."""
        known = set(self.quarters)
        for recommendation in self.recommendations.values():
            known.update(f.quarter for f in recommendation.follow_ups)
        return max(known, key=Quarter.parse) if known else None

    def first_open_quarter(self, year: int) -> Quarter | None:
        """The first quarter of ``year`` not closed after its rakor: where a change recorded now
        takes effect (a merge, a registration), as the warehouse's ``int_activities_merged``
        reads it. None when the whole year is closed."""
        for number in range(1, 5):
            quarter = Quarter(year, number)
            record = self.quarters.get(quarter.code)
            if record is None or not record.is_closed:
                return quarter
        return None

    def quarter(self, code: str) -> QuarterRecord:
        return self.quarters.setdefault(code, QuarterRecord(code))

    # -- applying events ------------------------------------------------------------------

    def apply(self, event: Any) -> None:
        """Updates the records for one domain event; events of other kinds are ignored."""
        record = self._by_id.get(event.originator_id)
        if isinstance(event, Opd.Registered):
            self._add(event, self.opds, OpdRecord(event.code, event.name, event.short_name))
        elif isinstance(event, Program.Registered):
            program = ProgramRecord(event.code, event.name, event.opd_code, event.fiscal_year)
            self._add(event, self.programs, program)
        elif isinstance(event, Program.OpdJoined) and record is not None:
            record.members[event.opd_code] = event.role
        elif isinstance(event, Activity.Registered):
            self._register_activity(event)
        elif isinstance(event, Activity.TargetsRevised) and record is not None:
            record.pagu_rp = event.pagu_rp
            record.annual_target = event.annual_target
            record.quarterly_targets = tuple(event.quarterly_targets)
            record.revisions.append(
                Revision(
                    event.timestamp.date().isoformat(),
                    event.pagu_rp,
                    event.annual_target,
                    tuple(event.quarterly_targets),
                    event.reason,
                )
            )
        elif isinstance(event, Activity.MappedToProblem) and record is not None:
            record.problems.append(event.problem_code)
            if event.problem_code in self.problems:
                self.problems[event.problem_code].activities.append(record.code)
        elif isinstance(event, Activity.EvaluationRecorded | Activity.EvaluationCorrected):
            if record is not None:
                self._evaluate(record, event)
        elif isinstance(event, Activity.Merged) and record is not None:
            record.merged_from = tuple(event.merged_codes)
            record.participant_opds = tuple(event.opd_codes)
        elif isinstance(event, Activity.MergedInto) and record is not None:
            record.merged_into = event.joint_code
        elif isinstance(event, Problem.Identified):
            problem = ProblemRecord(event.code, event.title, event.category, event.kecamatan_code)
            self._add(event, self.problems, problem)
        elif isinstance(event, QuarterReview.RakorHeld):
            quarter = self.quarter(event.quarter)
            quarter.rakor_held_on = event.held_on
            quarter.attending_opd_codes = tuple(event.attending_opd_codes)
            self._by_id[event.originator_id] = quarter
        elif isinstance(event, QuarterReview.Closed):
            self.quarter(event.quarter).is_closed = True
        elif isinstance(event, Recommendation.Issued):
            recommendation = RecommendationRecord(
                event.code,
                event.quarter,
                event.opd_code,
                event.text,
                event.due_quarter,
                event.activity_code,
                event.problem_code,
            )
            self._add(event, self.recommendations, recommendation)
        elif isinstance(event, Recommendation.FollowedUp) and record is not None:
            record.follow_ups.append(FollowUp(event.quarter, event.progress, event.is_done))
        elif isinstance(event, ServiceRegion.Defined):
            region = RegionRecord(event.code, event.name, tuple(event.kecamatan_codes))
            self._add(event, self.regions, region)
        elif isinstance(event, Mentor.Registered):
            mentor = MentorRecord(
                event.code, event.name, event.recruited_by_opd, event.kind, event.registered_on
            )
            self._add(event, self.mentors, mentor)
        elif isinstance(event, Mentor.Assigned) and record is not None:
            record.assignments[event.kecamatan_code] = event.from_date
        elif isinstance(event, Mentor.Unassigned) and record is not None:
            record.assignments.pop(event.kecamatan_code, None)
        elif isinstance(event, Mentor.CommitmentEvaluated) and record is not None:
            record.evaluated_quarters.append(event.quarter)

    def _add(self, event: Any, table: dict[str, Any], record: Any) -> None:
        table[record.code] = record
        self._by_id[event.originator_id] = record

    def _register_activity(self, event: Activity.Registered) -> None:
        activity = ActivityRecord(
            code=event.code,
            name=event.name,
            program_code=event.program_code,
            opd_code=event.opd_code,
            kecamatan_code=event.kecamatan_code,
            fiscal_year=event.fiscal_year,
            pagu_rp=event.pagu_rp,
            indicator_name=event.indicator_name,
            indicator_unit=event.indicator_unit,
            indicator_kind=event.indicator_kind,
            annual_target=event.annual_target,
            quarterly_targets=tuple(event.quarterly_targets),
            is_joint=event.is_joint,
            participant_opds=(event.opd_code,),
        )
        self._add(event, self.activities, activity)
        if event.program_code in self.programs:
            self.programs[event.program_code].activities.append(event.code)

    def _evaluate(self, activity: ActivityRecord, event: Any) -> None:
        before = activity.evaluations.get(event.quarter)
        corrections = 0 if before is None else before.corrections
        if isinstance(event, Activity.EvaluationCorrected):
            corrections += 1
        else:
            if before is None:
                self.quarter(event.quarter).evaluations += 1
        activity.evaluations[event.quarter] = Evaluation(
            event.quarter,
            event.physical_pct,
            event.financial_rp,
            event.indicator_value,
            corrections,
        )


def read_records(app: Application[UUID], records: Records | None = None) -> Records:
    """The records as they stand in ``app``'s event store now (``records`` is caught up)."""
    return (records or Records()).catch_up(app)
