"""Merging a suggested group from the Sinergi page, through Streamlit's AppTest.

The demo's fiscal year is closed, so the test opens fiscal year 2018 in a copy of the demo
home: two OPDs register an activity each, both addressing the food-inflation problem; after a
refresh the page suggests merging them, and the signed-in admin merges them there. The domain's
merge command stores the events; exactly one ActivitiesMerged event is added, by that admin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from test_dashboard_apptest import DashboardHome, Opener, no_exception, open_app, press, words

from domain.actors import OPD, Actor
from domain.application import Monev
from domain.events import event_name
from eventstore.bootstrap import build_application
from eventstore.settings import Settings

pytestmark = [pytest.mark.xdist_group("dashboard"), pytest.mark.slow]
__all__ = ["open_app"]  # the fixture, used by name

YEAR = 2018
PROBLEM = "PRB-05"
OPDS = ("DISPERTA", "DISNAK")


def activity_code(opd: str) -> str:
    return f"A-{opd}-{YEAR}"


def open_a_year_with_two_activities_on_one_problem(app: Monev) -> None:
    for opd in OPDS:
        actor = Actor(f"opd-{opd.lower()}", OPD, opd)
        app.register_program(
            actor, code=f"P-{opd}-{YEAR}", name=f"Program {opd} {YEAR}", opd_code=opd,
            fiscal_year=YEAR,
        )  # fmt: skip
        app.register_activity(
            actor, code=activity_code(opd), program_code=f"P-{opd}-{YEAR}", opd_code=opd,
            name=f"Stabilisasi harga pangan {opd}", pagu_rp=150_000_000,
            indicator_name="Operasi pasar", indicator_unit="kali",
            indicator_kind="incremental", annual_target=8.0,
            quarterly_targets=(2.0, 2.0, 2.0, 2.0), fiscal_year=YEAR,
        )  # fmt: skip
        app.map_activity_to_problem(actor, activity_code=activity_code(opd), problem_code=PROBLEM)


def events_after(settings: Settings, position: int) -> list[Any]:
    app = build_application(settings)
    try:
        notifications = app.recorder.select_notifications(position, 100, inclusive_of_start=False)
        return [app.mapper.to_domain_event(n) for n in notifications]
    finally:
        app.close()


def test_an_admin_merges_a_suggestion_from_the_sinergi_page(
    open_app: Opener,
    writable_home: DashboardHome,
    refresh_dashboard: Callable[[Settings], None],
) -> None:
    app = build_application(writable_home.settings)
    try:
        open_a_year_with_two_activities_on_one_problem(app)
    finally:
        app.close()
    refresh_dashboard(writable_home.settings)
    expected = sorted(activity_code(opd) for opd in OPDS)

    viewer = open_app("sinergi", user="pimpinan", home=writable_home)
    no_exception(viewer)
    # The suggestions' table, then the groups already merged (the demo's), then problems.
    suggested, merged = [
        frame.value
        for frame in viewer.dataframe
        if words("candidate_reason") in frame.value.columns
    ]
    assert list(merged[words("joint_activity")]) == ["J-INFLASI-2017"]
    assert list(suggested[words("activities")]) == [", ".join(expected)]
    assert not [b for b in viewer.button if b.label == words("merge_submit")]

    at = open_app("sinergi", user="admin", home=writable_home)
    no_exception(at)
    candidate = at.selectbox(key="mc_candidate")
    assert [str(option) for option in candidate.options] == [f"{PROBLEM} · {', '.join(expected)}"]
    at.selectbox(key="mc_lead").set_value("DISPERTA")
    at.text_input(key="mc_name").set_value("Pengendalian inflasi pangan 2018")
    before = writable_home.last_position()
    press(at, words("merge_submit"))  # not confirmed: refused by the page, nothing stored
    assert at.warning and at.warning[0].value == words("merge_unconfirmed")
    assert writable_home.last_position() == before

    at.checkbox(key="mc_confirm").check()
    press(at, words("merge_submit"))
    no_exception(at)
    assert not at.error, [e.value for e in at.error]
    assert "ActivitiesMerged" in at.success[0].value

    stored = events_after(writable_home.settings, before)
    merges = [e for e in stored if event_name(type(e)) == "ActivitiesMerged"]
    assert len(merges) == 1
    assert merges[0].actor.user_id == "admin"
    assert all(e.actor.user_id == "admin" for e in stored if hasattr(e, "actor"))
    assert sorted(merges[0].merged_codes) == expected
    assert merges[0].lead_opd_code == "DISPERTA"
