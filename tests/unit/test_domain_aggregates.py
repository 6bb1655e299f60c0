"""The aggregates' own rules, without an application or a store."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import FrozenInstanceError, fields
from datetime import UTC, date, datetime
from typing import Any

import pytest
from eventsourcing.domain import Aggregate

from domain.activities import Activity
from domain.actors import Actor
from domain.errors import (
    ActivityMergedError,
    ConflictError,
    DuplicateError,
    InvalidInputError,
    QuarterClosedError,
)
from domain.programs import Program
from domain.quarter_reviews import QuarterReview
from domain.quarters import Quarter
from domain.recommendations import Recommendation
from domain.satrya_emas import Mentor

ADMIN = Actor("rina", "admin")
STAFF = Actor("sari", "opd", "DISPERTA")


def activity(code: str = "ACT-CABAI", opd_code: str = "DISPERTA", pagu_rp: int = 200) -> Activity:
    return Activity(
        code=code,
        program_code="PRG",
        opd_code=opd_code,
        name="Pasokan cabai",
        kecamatan_code="35.14.22",
        fiscal_year=2017,
        pagu_rp=pagu_rp,
        indicator_name="Pasokan pangan",
        indicator_unit="ton",
        indicator_kind="incremental",
        annual_target=40.0,
        quarterly_targets=(10.0, 10.0, 10.0, 10.0),
        is_joint=False,
        actor=STAFF,
    )


def evaluate(target: Activity, quarter: str = "2017-Q1", physical_pct: float = 20.0) -> None:
    target.record_evaluation(
        quarter=Quarter.parse(quarter),
        physical_pct=physical_pct,
        financial_rp=10,
        indicator_value=5.0,
        drivers="",
        obstacles="",
        actor=STAFF,
    )


def replayed(aggregate: Aggregate) -> Any:
    """The aggregate rebuilt from the events it has pending, as a store would rebuild it."""
    copy = None
    for pending in aggregate.collect_events():
        copy = pending.mutate(copy)
    return copy


# --- programs --------------------------------------------------------------------------------


def program() -> Program:
    return Program(code="PRG", name="Ekonomi", opd_code="DISKOPUKM", fiscal_year=2017, actor=ADMIN)


def test_an_agency_joins_a_program_once() -> None:
    target = program()
    target.join("DISPERTA", "member", ADMIN)
    with pytest.raises(DuplicateError, match="already takes part"):
        target.join("DISPERTA", "coordinator", ADMIN)


def test_a_program_has_one_coordinator() -> None:
    target = program()
    target.join("DISKOPUKM", "coordinator", ADMIN)
    with pytest.raises(ConflictError, match="already has a coordinator: DISKOPUKM"):
        target.join("DISPERTA", "coordinator", ADMIN)
    target.join("DISPERTA", "member", ADMIN)
    assert replayed(target).members == {"DISKOPUKM": "coordinator", "DISPERTA": "member"}


# --- activities ------------------------------------------------------------------------------


def test_an_evaluation_outside_the_fiscal_year_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="Triwulan IV 2016 is outside fiscal year 2017"):
        evaluate(activity(), "2016-Q4")


def test_an_evaluation_replaces_the_earlier_one_of_its_quarter() -> None:
    target = activity()
    evaluate(target, physical_pct=20)
    evaluate(target, physical_pct=30)
    assert replayed(target).evaluations["2017-Q1"]["physical_pct"] == 30


def test_only_a_recorded_evaluation_can_be_corrected() -> None:
    target = activity()
    correction: dict[str, Any] = {
        "quarter": Quarter(2017, 1),
        "physical_pct": 25.0,
        "financial_rp": 10,
        "indicator_value": 5.0,
        "drivers": "",
        "obstacles": "",
        "reason": "Salah ketik",
        "actor": STAFF,
    }
    with pytest.raises(ConflictError, match="no evaluation for Triwulan I 2017 to correct"):
        target.correct_evaluation(**correction)
    evaluate(target)
    target.correct_evaluation(**correction)
    assert replayed(target).evaluations["2017-Q1"]["physical_pct"] == 25


def test_an_activity_is_mapped_to_a_problem_once() -> None:
    target = activity()
    target.map_to_problem("PRB-INFLASI", STAFF)
    with pytest.raises(DuplicateError, match="already mapped"):
        target.map_to_problem("PRB-INFLASI", STAFF)
    assert replayed(target).problems == {"PRB-INFLASI"}


def test_a_merged_activity_takes_no_evaluations_revisions_or_second_merge() -> None:
    target = activity()
    target.close_as_merged("ACT-PANGAN", ADMIN)
    with pytest.raises(ActivityMergedError, match="merged into joint activity ACT-PANGAN"):
        evaluate(target, "2017-Q2")
    with pytest.raises(ActivityMergedError):
        target.revise_targets(1, 4.0, (1.0, 1.0, 1.0, 1.0), "Revisi", ADMIN)
    with pytest.raises(ActivityMergedError):
        target.close_as_merged("ACT-LAIN", ADMIN)
    assert replayed(target).merged_into == "ACT-PANGAN"


def test_a_joint_activity_records_the_merged_activities_and_their_agencies() -> None:
    chili, cattle = activity(), activity("ACT-TERNAK", "DISNAK", pagu_rp=150)
    joint = activity("ACT-PANGAN", pagu_rp=350)
    joint.record_merge([chili, cattle], "DISPERTA", ADMIN)
    events = joint.collect_events()
    merged = events[-1]
    assert isinstance(merged, Activity.Merged)
    assert merged.merged_codes == ("ACT-CABAI", "ACT-TERNAK")
    assert merged.opd_codes == ("DISNAK", "DISPERTA")
    assert merged.combined_pagu_rp == 350
    assert merged.lead_opd_code == "DISPERTA"
    rebuilt = None
    for stored in events:
        rebuilt = stored.mutate(rebuilt)
    assert isinstance(rebuilt, Activity)
    assert set(rebuilt.participant_opds) == {"DISPERTA", "DISNAK"}


# --- quarters, recommendations -------------------------------------------------------------


def review() -> QuarterReview:
    return QuarterReview(
        quarter="2017-Q1",
        held_on=date(2017, 4, 12),
        attending_opd_codes=("DISPERTA",),
        notes="",
        actor=ADMIN,
    )


def test_a_reviewed_quarter_stays_open_until_closed_and_is_closed_once() -> None:
    target = review()
    target.check_open()
    target.close(ADMIN)
    with pytest.raises(QuarterClosedError, match="Triwulan I 2017 is closed after its rakor"):
        target.check_open()
    with pytest.raises(ConflictError, match="Triwulan I 2017 is already closed"):
        target.close(ADMIN)
    assert replayed(target).is_closed


def recommendation() -> Recommendation:
    return Recommendation(
        code="REK-1",
        quarter="2017-Q2",
        opd_code="DISPERTA",
        text="Laporkan luas tanam",
        due_quarter="2017-Q3",
        activity_code=None,
        problem_code=None,
        actor=ADMIN,
    )


def test_a_recommendation_is_followed_up_until_done_and_then_no_more() -> None:
    target = recommendation()
    target.follow_up(Quarter(2017, 2), "Mulai", False, STAFF)
    target.follow_up(Quarter(2017, 3), "Selesai", True, STAFF)
    with pytest.raises(ConflictError, match="already done"):
        target.follow_up(Quarter(2017, 4), "Lagi", False, STAFF)
    assert replayed(target).is_done


def test_a_follow_up_cannot_come_before_the_recommendation() -> None:
    with pytest.raises(ConflictError, match="before recommendation REK-1 was issued"):
        recommendation().follow_up(Quarter(2017, 1), "Terlalu awal", False, STAFF)


# --- mentors ---------------------------------------------------------------------------------


def mentor() -> Mentor:
    return Mentor(
        code="MTR-01",
        name="Dewi",
        recruited_by_opd="DISKOPUKM",
        kind="kecamatan",
        registered_on=date(2017, 1, 2),
        actor=ADMIN,
    )


def test_a_mentor_serves_several_kecamatan_but_each_once() -> None:
    target = mentor()
    target.assign("35.14.20", date(2017, 1, 9), ADMIN)
    target.assign("35.14.21", date(2017, 2, 1), ADMIN)
    with pytest.raises(DuplicateError, match=r"already assigned to kecamatan 35\.14\.20"):
        target.assign("35.14.20", date(2017, 3, 1), ADMIN)
    assert set(replayed(target).assignments) == {"35.14.20", "35.14.21"}


def test_a_mentor_is_assigned_no_earlier_than_registered() -> None:
    with pytest.raises(ConflictError, match="before being registered"):
        mentor().assign("35.14.20", date(2017, 1, 1), ADMIN)


def test_only_a_current_assignment_ends_and_not_before_it_began() -> None:
    target = mentor()
    with pytest.raises(ConflictError, match="not assigned"):
        target.unassign("35.14.20", date(2017, 6, 30), "", ADMIN)
    target.assign("35.14.20", date(2017, 1, 9), ADMIN)
    with pytest.raises(ConflictError, match="cannot end earlier"):
        target.unassign("35.14.20", date(2017, 1, 8), "", ADMIN)
    target.unassign("35.14.20", date(2017, 6, 30), "Pindah", ADMIN)
    target.assign("35.14.20", date(2017, 8, 1), ADMIN)
    assert replayed(target).assignments == {"35.14.20": date(2017, 8, 1)}


def test_a_mentor_s_commitment_is_evaluated_once_a_quarter() -> None:
    target = mentor()
    scores: dict[str, Any] = {
        "score": 80.0,
        "reports_submitted": 3,
        "umkm_assisted": 25,
        "umkm_target": 30,
        "permits_facilitated": 4,
        "notes": "",
        "actor": ADMIN,
    }
    target.evaluate_commitment("2017-Q1", **scores)
    with pytest.raises(DuplicateError, match="already has a commitment evaluation for 2017-Q1"):
        target.evaluate_commitment("2017-Q1", **scores)
    target.evaluate_commitment("2017-Q2", **scores)


def test_an_evaluation_is_the_event_and_the_change_the_library_would_make(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``record_evaluation`` builds its event without ``trigger_event``: it must be the same."""
    moment = datetime(2017, 4, 2, 9, 30, tzinfo=UTC)
    event_class: Any = Activity.EvaluationRecorded
    monkeypatch.setattr(event_class, "create_timestamp", staticmethod(lambda: moment))
    ours = activity()
    library = deepcopy(ours)
    evaluate(ours, physical_pct=42.5)
    library.trigger_event(
        event_class,
        quarter="2017-Q1",
        physical_pct=42.5,
        financial_rp=10,
        indicator_value=5.0,
        drivers="",
        obstacles="",
        actor=STAFF,
    )
    assert ours == library  # state, version, modified time and the pending events
    *_, event = ours.pending_events  # after the activity's registration
    *_, expected = library.pending_events
    assert type(event) is type(expected)
    assert list(vars(event).items()) == list(vars(expected).items())  # field order: JSON keys
    assert list(vars(event)) == [field.name for field in fields(event)]
    with pytest.raises(FrozenInstanceError):
        event.quarter = "2017-Q2"  # still a frozen event
    assert (ours.version, ours.modified_on) == (2, moment)
    rebuilt = replayed(ours)
    assert rebuilt.evaluations == {
        "2017-Q1": {"physical_pct": 42.5, "financial_rp": 10, "indicator_value": 5.0}
    }
    assert (rebuilt.version, rebuilt.modified_on) == (2, moment)
