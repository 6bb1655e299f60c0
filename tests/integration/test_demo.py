"""The demo story is recorded through the commands and states its facts truthfully."""

from __future__ import annotations

from pathlib import Path

from apps import demo_story as story
from apps.demo import demo_users, load_demo
from domain.kecamatan import all_kecamatan
from eventstore.bootstrap import build_application
from eventstore.settings import Settings


def covered_at_end_of(quarter: int) -> set[str]:
    """Kecamatan with a mentor on the last day of a 2017 quarter, from the story's own tables."""
    covered = {k for _, _, ks in story.MENTORS_JANUARY for k in ks}
    if quarter >= 3:
        covered |= {k for _, _, ks in story.MENTORS_JULY for k in ks}
    for _, kecamatan, to_date, _ in story.MENTOR_LEAVES:
        if to_date.month <= 3 * quarter:
            covered.discard(kecamatan)
    return covered


def test_the_stated_gaps_in_mentor_coverage_follow_from_the_story() -> None:
    names = {k.name for k in all_kecamatan()}
    for quarter, gaps in story.DEMO_FACTS["kecamatan_without_mentor"].items():
        number = int(quarter[-1])
        assert set(gaps) == names - covered_at_end_of(number)


def test_the_demo_records_every_story_line_as_its_users(tmp_path: Path) -> None:
    app = build_application(Settings.from_env({}, home=tmp_path))
    stored = load_demo(app)
    assert stored == app.last_position() > 250
    users = demo_users()
    opd_events = 0
    for notification in app.recorder.select_notifications(1, stored):
        event = app.mapper.to_domain_event(notification)
        actor = event.actor  # type: ignore[attr-defined]
        assert actor.user_id in users
        assert users[actor.user_id].role == actor.role
        if actor.role == "opd":
            opd_events += 1
            assert actor.opd_code == users[actor.user_id].opd_code
    assert opd_events > 100


def test_the_merged_activities_close_into_the_joint_activity(tmp_path: Path) -> None:
    app = build_application(Settings.from_env({}, home=tmp_path))
    load_demo(app)
    joint = app.get_activity(story.MERGE["joint_code"])
    assert joint.is_joint
    assert joint.pagu_rp == story.DEMO_FACTS["merged_budget_rp"]
    for code in story.MERGE["activities"]:
        assert app.get_activity(code).merged_into == story.MERGE["joint_code"]


def test_overdue_recommendations_are_the_ones_left_undone(tmp_path: Path) -> None:
    app = build_application(Settings.from_env({}, home=tmp_path))
    load_demo(app)
    overdue = story.DEMO_FACTS["overdue_at_2017_Q4"]
    for codes in overdue.values():
        for code in codes:
            recommendation = app.get_recommendation(code)
            assert not recommendation.is_done
            assert recommendation.due_quarter < "2017-Q4"
