"""Activities: the kegiatan of a program, their targets, evaluations and merges.

Each aggregate has a module of its own so that a command imports only the aggregates it
touches: the library's aggregate metaclass turns every event class into a dataclass when its
module is imported, which every command would otherwise pay for (``domain.topics``).
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.actors import Actor
from domain.errors import ActivityMergedError, ConflictError, DuplicateError, InvalidInputError
from domain.quarters import Quarter
from domain.rules import INDICATOR_BOUND_FACTOR, aggregate_id

INDICATOR_KINDS = ("cumulative", "incremental")


class Activity(Aggregate):
    """An activity (kegiatan) with its budget, output indicator and quarterly evaluations.

    Evaluations live here because the rules that guard them (merged, fiscal year, one per
    quarter) are the activity's own; the quarter's closure is checked by the caller passing
    the quarter's review.
    """

    TOPIC = "monev:Activity"

    class Created(Aggregate.Created):
        TOPIC = "monev:ActivityCreated"

    class Registered(Aggregate.Created):
        """Indicator kind: cumulative targets and values are to-date; incremental ones are per
        quarter and add up."""

        TOPIC = "monev:ActivityRegistered"
        code: str
        program_code: str
        opd_code: str
        name: str
        kecamatan_code: str | None
        fiscal_year: int
        pagu_rp: int
        indicator_name: str
        indicator_unit: str
        indicator_kind: str
        annual_target: float
        quarterly_targets: tuple[float, ...]
        is_joint: bool
        actor: Actor

    class TargetsRevised(Aggregate.Event):
        TOPIC = "monev:ActivityTargetsRevised"
        pagu_rp: int
        annual_target: float
        quarterly_targets: tuple[float, ...]
        reason: str
        actor: Actor

    class MappedToProblem(Aggregate.Event):
        TOPIC = "monev:ActivityMappedToProblem"
        problem_code: str
        actor: Actor

    class EvaluationRecorded(Aggregate.Event):
        """physical_pct is the cumulative physical progress; financial_rp is the money spent
        in this quarter; indicator_value follows the indicator kind."""

        TOPIC = "monev:EvaluationRecorded"
        quarter: str
        physical_pct: float
        financial_rp: int
        indicator_value: float
        drivers: str
        obstacles: str
        actor: Actor

    class EvaluationCorrected(Aggregate.Event):
        TOPIC = "monev:EvaluationCorrected"
        quarter: str
        physical_pct: float
        financial_rp: int
        indicator_value: float
        drivers: str
        obstacles: str
        reason: str
        actor: Actor

    class Merged(Aggregate.Event):
        """Recorded on the joint activity: which activities it combines and their budget."""

        TOPIC = "monev:ActivitiesMerged"
        merged_codes: tuple[str, ...]
        opd_codes: tuple[str, ...]
        lead_opd_code: str
        combined_pagu_rp: int
        actor: Actor

    class MergedInto(Aggregate.Event):
        """Recorded on each original: it is closed and continues as the joint activity."""

        TOPIC = "monev:ActivityMergedInto"
        joint_code: str
        actor: Actor

    @staticmethod
    def create_id(code: str) -> UUID:
        return aggregate_id("activity", code)

    @event(Registered)
    def __init__(
        self,
        code: str,
        program_code: str,
        opd_code: str,
        name: str,
        kecamatan_code: str | None,
        fiscal_year: int,
        pagu_rp: int,
        indicator_name: str,
        indicator_unit: str,
        indicator_kind: str,
        annual_target: float,
        quarterly_targets: tuple[float, ...],
        is_joint: bool,
        actor: Actor,
    ) -> None:
        self.code = code
        self.program_code = program_code
        self.opd_code = opd_code
        self.name = name
        self.kecamatan_code = kecamatan_code
        self.fiscal_year = fiscal_year
        self.pagu_rp = pagu_rp
        self.indicator_name = indicator_name
        self.indicator_unit = indicator_unit
        self.indicator_kind = indicator_kind
        self.annual_target = annual_target
        self.quarterly_targets = tuple(quarterly_targets)
        self.is_joint = is_joint
        self.participant_opds: tuple[str, ...] = (opd_code,)
        self.problems: set[str] = set()
        self.evaluations: dict[str, dict[str, object]] = {}
        self.merged_into: str | None = None

    # -- checks -------------------------------------------------------------------------

    def check_not_merged(self) -> None:
        if self.merged_into:
            raise ActivityMergedError(
                "Activity {code} was merged into joint activity {merged_into} and takes no new "
                "records; record them on {merged_into}.",
                code=self.code,
                merged_into=self.merged_into,
            )

    def check_in_fiscal_year(self, quarter: Quarter) -> None:
        if quarter.year != self.fiscal_year:
            raise InvalidInputError(
                "{quarter} is outside fiscal year {fiscal_year} of activity {code}.",
                quarter=quarter.label,
                fiscal_year=self.fiscal_year,
                code=self.code,
            )

    def check_realisation(
        self, quarter: Quarter, financial_rp: int, indicator_value: float
    ) -> None:
        """Spending cannot exceed the budget ceiling, and an indicator stays near its target.

        ``financial_rp`` is the quarter's spending, so the cumulative realisation is the sum over
        the fiscal year's quarters with this one replaced. The indicator bound is
        ``INDICATOR_BOUND_FACTOR`` times the annual target (or 1 where the target is 0).
        """
        spent = financial_rp + sum(
            int(e["financial_rp"])  # type: ignore[call-overload]
            for q, e in self.evaluations.items()
            if q != quarter.code
        )
        if spent > self.pagu_rp:
            raise InvalidInputError(
                "The financial realisation of {code} would add up to Rp {spent} by {quarter}, "
                "above its pagu of Rp {pagu}: spending cannot exceed the budget ceiling.",
                code=self.code,
                spent=spent,
                quarter=quarter.label,
                pagu=self.pagu_rp,
            )
        bound = INDICATOR_BOUND_FACTOR * max(self.annual_target, 1.0)
        if indicator_value > bound:
            raise InvalidInputError(
                "The indicator value {value} of {code} is more than {factor} times its annual "
                "target of {target} {unit}; at most {bound} is possible.",
                value=indicator_value,
                code=self.code,
                factor=INDICATOR_BOUND_FACTOR,
                target=self.annual_target,
                unit=self.indicator_unit,
                bound=bound,
            )

    def check_pagu_covers_spending(self, pagu_rp: int) -> None:
        spent = sum(int(e["financial_rp"]) for e in self.evaluations.values())  # type: ignore[call-overload]
        if pagu_rp < spent:
            raise InvalidInputError(
                "A pagu of Rp {pagu} for {code} is below the Rp {spent} already realised.",
                pagu=pagu_rp,
                code=self.code,
                spent=spent,
            )

    # -- commands -----------------------------------------------------------------------

    def revise_targets(
        self,
        pagu_rp: int,
        annual_target: float,
        quarterly_targets: tuple[float, ...],
        reason: str,
        actor: Actor,
    ) -> None:
        self.check_not_merged()
        self.check_pagu_covers_spending(pagu_rp)
        self._targets_revised(
            pagu_rp=pagu_rp,
            annual_target=annual_target,
            quarterly_targets=tuple(quarterly_targets),
            reason=reason,
            actor=actor,
        )

    @event(TargetsRevised)
    def _targets_revised(
        self,
        pagu_rp: int,
        annual_target: float,
        quarterly_targets: tuple[float, ...],
        reason: str,
        actor: Actor,
    ) -> None:
        self.pagu_rp = pagu_rp
        self.annual_target = annual_target
        self.quarterly_targets = tuple(quarterly_targets)

    def map_to_problem(self, problem_code: str, actor: Actor) -> None:
        if problem_code in self.problems:
            raise DuplicateError(
                "Activity {code} is already mapped to problem {problem_code}.",
                code=self.code,
                problem_code=problem_code,
            )
        self._mapped(problem_code=problem_code, actor=actor)

    @event(MappedToProblem)
    def _mapped(self, problem_code: str, actor: Actor) -> None:
        self.problems.add(problem_code)

    def record_evaluation(
        self,
        quarter: Quarter,
        physical_pct: float,
        financial_rp: int,
        indicator_value: float,
        drivers: str,
        obstacles: str,
        actor: Actor,
    ) -> None:
        self.check_not_merged()
        self.check_in_fiscal_year(quarter)
        self.check_realisation(quarter, financial_rp, indicator_value)
        self._evaluation_recorded(
            quarter=quarter.code,
            physical_pct=physical_pct,
            financial_rp=financial_rp,
            indicator_value=indicator_value,
            drivers=drivers,
            obstacles=obstacles,
            actor=actor,
        )

    @event(EvaluationRecorded)
    def _evaluation_recorded(
        self,
        quarter: str,
        physical_pct: float,
        financial_rp: int,
        indicator_value: float,
        drivers: str,
        obstacles: str,
        actor: Actor,
    ) -> None:
        self._set_evaluation(quarter, physical_pct, financial_rp, indicator_value)

    def _set_evaluation(
        self, quarter: str, physical_pct: float, financial_rp: int, indicator_value: float
    ) -> None:
        self.evaluations[quarter] = {
            "physical_pct": physical_pct,
            "financial_rp": financial_rp,
            "indicator_value": indicator_value,
        }

    def correct_evaluation(
        self,
        quarter: Quarter,
        physical_pct: float,
        financial_rp: int,
        indicator_value: float,
        drivers: str,
        obstacles: str,
        reason: str,
        actor: Actor,
    ) -> None:
        if quarter.code not in self.evaluations:
            raise ConflictError(
                "Activity {code} has no evaluation for {quarter} to correct; record one instead.",
                code=self.code,
                quarter=quarter.label,
            )
        self.check_realisation(quarter, financial_rp, indicator_value)
        self._evaluation_corrected(
            quarter=quarter.code,
            physical_pct=physical_pct,
            financial_rp=financial_rp,
            indicator_value=indicator_value,
            drivers=drivers,
            obstacles=obstacles,
            reason=reason,
            actor=actor,
        )

    @event(EvaluationCorrected)
    def _evaluation_corrected(
        self,
        quarter: str,
        physical_pct: float,
        financial_rp: int,
        indicator_value: float,
        drivers: str,
        obstacles: str,
        reason: str,
        actor: Actor,
    ) -> None:
        self.evaluations[quarter] = {
            "physical_pct": physical_pct,
            "financial_rp": financial_rp,
            "indicator_value": indicator_value,
        }

    def record_merge(self, originals: list[Activity], lead_opd_code: str, actor: Actor) -> None:
        # A joint activity merged again brings all of its agencies, not only its lead.
        opd_codes = tuple(sorted({code for a in originals for code in a.participant_opds}))
        self._merged(
            merged_codes=tuple(a.code for a in originals),
            opd_codes=opd_codes,
            lead_opd_code=lead_opd_code,
            combined_pagu_rp=sum(a.pagu_rp for a in originals),
            actor=actor,
        )

    @event(Merged)
    def _merged(
        self,
        merged_codes: tuple[str, ...],
        opd_codes: tuple[str, ...],
        lead_opd_code: str,
        combined_pagu_rp: int,
        actor: Actor,
    ) -> None:
        self.participant_opds = tuple(opd_codes)

    def close_as_merged(self, joint_code: str, actor: Actor) -> None:
        self.check_not_merged()
        self._merged_into(joint_code=joint_code, actor=actor)

    @event(MergedInto)
    def _merged_into(self, joint_code: str, actor: Actor) -> None:
        self.merged_into = joint_code
