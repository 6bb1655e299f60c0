"""Satrya Emas: service regions, and the mentors (tenaga pendamping) serving each kecamatan."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.actors import Actor
from domain.errors import ConflictError, DuplicateError
from domain.rules import aggregate_id

MENTOR_KINDS = ("kecamatan", "kabupaten")


class ServiceRegion(Aggregate):
    """One of the six wilayah pelayanan, each covering several kecamatan."""

    TOPIC = "monev:ServiceRegion"

    class Created(Aggregate.Created):
        TOPIC = "monev:ServiceRegionCreated"

    class Defined(Aggregate.Created):
        TOPIC = "monev:ServiceRegionDefined"
        code: str
        name: str
        kecamatan_codes: tuple[str, ...]
        actor: Actor

    @staticmethod
    def create_id(code: str) -> UUID:
        return aggregate_id("service-region", code)

    @event(Defined)
    def __init__(
        self, code: str, name: str, kecamatan_codes: tuple[str, ...], actor: Actor
    ) -> None:
        self.code = code
        self.name = name
        self.kecamatan_codes = tuple(kecamatan_codes)


class Mentor(Aggregate):
    """A tenaga pendamping: a kecamatan mentor, or the admin mentor at regency level.

    A mentor may serve several kecamatan at once ("dobel"): that is reported, not refused.
    """

    TOPIC = "monev:Mentor"

    class Created(Aggregate.Created):
        TOPIC = "monev:MentorCreated"

    class Registered(Aggregate.Created):
        TOPIC = "monev:MentorRegistered"
        code: str
        name: str
        recruited_by_opd: str
        kind: str
        registered_on: date
        actor: Actor

    class Assigned(Aggregate.Event):
        TOPIC = "monev:MentorAssigned"
        kecamatan_code: str
        from_date: date
        actor: Actor

    class Unassigned(Aggregate.Event):
        TOPIC = "monev:MentorUnassigned"
        kecamatan_code: str
        to_date: date
        reason: str
        actor: Actor

    class CommitmentEvaluated(Aggregate.Event):
        TOPIC = "monev:MentorCommitmentEvaluated"
        quarter: str
        score: float
        reports_submitted: int
        umkm_assisted: int
        umkm_target: int
        permits_facilitated: int
        notes: str
        actor: Actor

    @staticmethod
    def create_id(code: str) -> UUID:
        return aggregate_id("mentor", code)

    @event(Registered)
    def __init__(
        self,
        code: str,
        name: str,
        recruited_by_opd: str,
        kind: str,
        registered_on: date,
        actor: Actor,
    ) -> None:
        self.code = code
        self.name = name
        self.recruited_by_opd = recruited_by_opd
        self.kind = kind
        self.registered_on = registered_on
        self.assignments: dict[str, date] = {}
        self.evaluated_quarters: set[str] = set()

    def assign(self, kecamatan_code: str, from_date: date, actor: Actor) -> None:
        if kecamatan_code in self.assignments:
            raise DuplicateError(
                "Mentor {code} is already assigned to kecamatan {kecamatan_code} (since {since}).",
                code=self.code,
                kecamatan_code=kecamatan_code,
                since=self.assignments[kecamatan_code].isoformat(),
            )
        if from_date < self.registered_on:
            raise ConflictError(
                "Mentor {code} cannot be assigned from {from_date}, before being registered on "
                "{registered_on}.",
                code=self.code,
                from_date=from_date.isoformat(),
                registered_on=self.registered_on.isoformat(),
            )
        self._assigned(kecamatan_code=kecamatan_code, from_date=from_date, actor=actor)

    @event(Assigned)
    def _assigned(self, kecamatan_code: str, from_date: date, actor: Actor) -> None:
        self.assignments[kecamatan_code] = from_date

    def unassign(self, kecamatan_code: str, to_date: date, reason: str, actor: Actor) -> None:
        since = self.assignments.get(kecamatan_code)
        if since is None:
            raise ConflictError(
                "Mentor {code} is not assigned to kecamatan {kecamatan_code}.",
                code=self.code,
                kecamatan_code=kecamatan_code,
            )
        if to_date < since:
            raise ConflictError(
                "The assignment of mentor {code} to {kecamatan_code} started on {since}; it "
                "cannot end earlier, on {to_date}.",
                code=self.code,
                kecamatan_code=kecamatan_code,
                since=since.isoformat(),
                to_date=to_date.isoformat(),
            )
        self._unassigned(kecamatan_code=kecamatan_code, to_date=to_date, reason=reason, actor=actor)

    @event(Unassigned)
    def _unassigned(self, kecamatan_code: str, to_date: date, reason: str, actor: Actor) -> None:
        self.assignments.pop(kecamatan_code, None)

    def evaluate_commitment(
        self,
        quarter: str,
        score: float,
        reports_submitted: int,
        umkm_assisted: int,
        umkm_target: int,
        permits_facilitated: int,
        notes: str,
        actor: Actor,
    ) -> None:
        if quarter in self.evaluated_quarters:
            raise DuplicateError(
                "Mentor {code} already has a commitment evaluation for {quarter}.",
                code=self.code,
                quarter=quarter,
            )
        self._commitment_evaluated(
            quarter=quarter,
            score=score,
            reports_submitted=reports_submitted,
            umkm_assisted=umkm_assisted,
            umkm_target=umkm_target,
            permits_facilitated=permits_facilitated,
            notes=notes,
            actor=actor,
        )

    @event(CommitmentEvaluated)
    def _commitment_evaluated(
        self,
        quarter: str,
        score: float,
        reports_submitted: int,
        umkm_assisted: int,
        umkm_target: int,
        permits_facilitated: int,
        notes: str,
        actor: Actor,
    ) -> None:
        self.evaluated_quarters.add(quarter)
