"""`monev demo`: records the 2017 story through the domain commands, as its users would.

Division staff record agencies, programs, rakor, merges and mentors; each OPD's operator
records its own activities, realisation and follow-ups. Going through the commands (not
around them) means the demo obeys every rule a real store obeys.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from apps import demo_story as story
from apps.users import User
from domain.actors import ADMIN, OPD, VIEWER, Actor
from domain.application import Monev
from domain.quarters import Quarter

ADMIN_USER = "admin"


def demo_users() -> dict[str, User]:
    """The demo's people: one division admin, one operator per OPD, one leader (no passwords)."""
    users = {ADMIN_USER: User(ADMIN_USER, "Staf Bagian Perekonomian", ADMIN)}
    for code, name, _ in story.OPDS:
        user_id = f"opd-{code.lower()}"
        users[user_id] = User(user_id, f"Operator {name}", OPD, code)
    users["pimpinan"] = User("pimpinan", "Pimpinan (Sekda)", VIEWER)
    return users


def opd_actor(code: str) -> Actor:
    return Actor(f"opd-{code.lower()}", OPD, code)


def load_demo(app: Monev, progress: Callable[[str], None] | None = None) -> int:
    """Records the whole story; returns the number of events stored."""
    say = progress or (lambda _message: None)
    start = app.last_position()
    admin = Actor(ADMIN_USER, ADMIN)
    say("OPD dan program")
    _agencies_and_programs(app, admin)
    say("Masalah dan kegiatan")
    _problems_and_activities(app, admin)
    say("Wilayah pelayanan dan tenaga pendamping")
    _satrya_emas_setup(app, admin)
    for number in range(1, 5):
        say(f"Triwulan {number}")
        _quarter(app, admin, Quarter(story.YEAR, number))
    return app.last_position() - start


def _agencies_and_programs(app: Monev, admin: Actor) -> None:
    for code, name, _ in story.OPDS:
        app.register_opd(admin, code=code, name=name)
    app.register_program(
        admin,
        code=story.SATRYA_EMAS_PROGRAM,
        name="Satrya Emas: klinik ekonomi BDS bagi UMKM",
        opd_code="DISKOPUKM",
        fiscal_year=story.YEAR,
    )
    for code, _, role in story.OPDS:
        if role:
            app.join_program(
                admin, program_code=story.SATRYA_EMAS_PROGRAM, opd_code=code, role=role
            )
    for code, name, _ in story.OPDS:
        app.register_program(
            opd_actor(code),
            code=f"P-{code}-{story.YEAR}",
            name=f"Program sektor ekonomi {name}",
            opd_code=code,
            fiscal_year=story.YEAR,
        )


def _program_of(activity: story.DemoActivity) -> str:
    if activity.code.startswith("A-DISKOP-"):
        return story.SATRYA_EMAS_PROGRAM
    return f"P-{activity.opd}-{story.YEAR}"


def _problems_and_activities(app: Monev, admin: Actor) -> None:
    for code, title, category, kecamatan in story.PROBLEMS:
        app.identify_problem(admin, code=code, title=title, category=category, kecamatan=kecamatan)
    for activity in story.ACTIVITIES:
        actor = opd_actor(activity.opd)
        targets = activity.targets
        annual = targets[3] if activity.kind == "cumulative" else sum(targets)
        app.register_activity(
            actor,
            code=activity.code,
            program_code=_program_of(activity),
            opd_code=activity.opd,
            name=activity.name,
            pagu_rp=activity.pagu_rp,
            indicator_name=activity.indicator,
            indicator_unit=activity.unit,
            indicator_kind=activity.kind,
            annual_target=annual,
            quarterly_targets=targets,
            kecamatan=activity.kecamatan,
        )
        if activity.problem:
            app.map_activity_to_problem(
                actor, activity_code=activity.code, problem_code=activity.problem
            )


def _satrya_emas_setup(app: Monev, admin: Actor) -> None:
    for code, name, kecamatan in story.SERVICE_REGIONS:
        app.define_service_region(admin, code=code, name=name, kecamatan=kecamatan)
    _register_mentors(app, admin, story.MENTORS_JANUARY, date(2017, 1, 2), date(2017, 1, 9))
    code, name = story.ADMIN_MENTOR
    app.register_mentor(
        admin,
        code=code,
        name=name,
        recruited_by_opd="DISKOPUKM",
        kind="kabupaten",
        registered_on=date(2017, 1, 2),
    )


def _register_mentors(
    app: Monev,
    admin: Actor,
    mentors: tuple[tuple[str, str, tuple[str, ...]], ...],
    registered_on: date,
    from_date: date,
) -> None:
    for code, name, kecamatan_list in mentors:
        app.register_mentor(
            admin,
            code=code,
            name=name,
            recruited_by_opd="DISKOPUKM",
            kind="kecamatan",
            registered_on=registered_on,
        )
        for kecamatan in kecamatan_list:
            app.assign_mentor(admin, mentor_code=code, kecamatan=kecamatan, from_date=from_date)


def _active(activity: story.DemoActivity, quarter: Quarter) -> bool:
    merged = activity.code in story.MERGE["activities"]
    return not (merged and quarter.number > story.MERGE["after_quarter"])


def _quarter(app: Monev, admin: Actor, quarter: Quarter) -> None:
    if quarter.number == 3:
        _register_mentors(app, admin, story.MENTORS_JULY, date(2017, 7, 3), date(2017, 7, 10))
    _evaluations(app, quarter)
    if quarter.number == story.MERGE["after_quarter"] + 1:
        app.merge_activities(
            admin,
            joint_code=story.MERGE["joint_code"],
            name=story.MERGE["name"],
            lead_opd_code=story.MERGE["lead_opd"],
            activity_codes=story.MERGE["activities"],
        )
        _joint_evaluation(app, quarter)
    elif quarter.number > story.MERGE["after_quarter"] + 1:
        _joint_evaluation(app, quarter)
    _follow_ups(app, quarter)
    _mentor_evaluations(app, admin, quarter)
    for code, kecamatan, to_date, reason in story.MENTOR_LEAVES:
        if Quarter(to_date.year, (to_date.month - 1) // 3 + 1) == quarter:
            app.unassign_mentor(
                admin, mentor_code=code, kecamatan=kecamatan, to_date=to_date, reason=reason
            )
    attending = [
        c for c, _, _ in story.OPDS if (c, quarter.number) not in story.MISSING_EVALUATIONS
    ]
    app.hold_rakor(
        admin,
        quarter=quarter.code,
        held_on=story.RAKOR_DATES[quarter.number],
        attending_opd_codes=attending,
        notes=f"Rakor evaluasi {quarter.label} sektor ekonomi.",
    )
    _recommendations(app, admin, quarter)
    app.close_quarter(admin, quarter=quarter.code)
    if quarter.number == 2:
        code, q = story.DEMO_FACTS["corrected_evaluation"]
        app.correct_evaluation(
            opd_actor("DISKOPUKM"),
            activity_code=code,
            quarter=q,
            physical_pct=26.0,
            financial_rp=41_000_000,
            indicator_value=31,
            drivers="Peserta antusias.",
            obstacles="",
            reason="Salah ketik jumlah peserta triwulan I (tertulis 13, seharusnya 31).",
        )


def _evaluations(app: Monev, quarter: Quarter) -> None:
    for index, activity in enumerate(story.ACTIVITIES):
        if (
            not _active(activity, quarter)
            or (activity.opd, quarter.number) in story.MISSING_EVALUATIONS
        ):
            continue
        _record_evaluation(app, activity.opd, activity.code, activity, quarter, index)


def _joint_evaluation(app: Monev, quarter: Quarter) -> None:
    lead = story.ACTIVITIES[[a.code for a in story.ACTIVITIES].index(story.MERGE["activities"][0])]
    joint = story.DemoActivity(
        story.MERGE["joint_code"], story.MERGE["lead_opd"], story.MERGE["name"], None,
        story.DEMO_FACTS["merged_budget_rp"], lead.indicator, lead.unit, lead.kind,
        (3, 3, 3, 3), "PRB-05", 1.0,
    )  # fmt: skip
    _record_evaluation(app, joint.opd, joint.code, joint, quarter, 99)


def _record_evaluation(
    app: Monev, opd: str, code: str, activity: story.DemoActivity, quarter: Quarter, index: int
) -> None:
    n = quarter.number
    target = activity.targets[n - 1]
    value = round(target * activity.pace, 1)
    physical = min(100.0, round(25.0 * n * min(activity.pace, 1.0) + (index % 3), 1))
    spent = round(activity.pagu_rp * 0.22 * min(activity.pace, 1.1) / 1000) * 1000
    obstacles = "" if activity.pace >= 0.9 else "Keterlambatan pengadaan dan cuaca."
    if code == story.DEMO_FACTS["corrected_evaluation"][0] and n == 1:
        value = 13  # the typo corrected after the rakor
    app.record_evaluation(
        opd_actor(opd),
        activity_code=code,
        quarter=quarter.code,
        physical_pct=physical,
        financial_rp=spent,
        indicator_value=value,
        drivers="Dukungan pemerintah desa." if activity.pace >= 0.9 else "",
        obstacles=obstacles,
    )


def _follow_ups(app: Monev, quarter: Quarter) -> None:
    for code, _, opd, _, _, _, _, follow_ups in story.RECOMMENDATIONS:
        for number, progress, done in follow_ups:
            if number == quarter.number:
                app.follow_up_recommendation(
                    opd_actor(opd), code=code, quarter=quarter.code, progress=progress, is_done=done
                )


def _recommendations(app: Monev, admin: Actor, quarter: Quarter) -> None:
    for code, number, opd, text, due, activity, problem, _ in story.RECOMMENDATIONS:
        if number == quarter.number:
            app.issue_recommendation(
                admin,
                code=code,
                quarter=quarter.code,
                opd_code=opd,
                text=text,
                due_quarter=due,
                activity_code=activity,
                problem_code=problem,
            )


def _mentor_evaluations(app: Monev, admin: Actor, quarter: Quarter) -> None:
    mentors = list(story.MENTORS_JANUARY)
    if quarter.number >= 3:
        mentors += list(story.MENTORS_JULY)
    for index, (code, _, kecamatan) in enumerate(mentors):
        target = 15 * len(kecamatan)
        assisted = max(0, target - (index % 5) * 3)
        app.evaluate_mentor_commitment(
            admin,
            mentor_code=code,
            quarter=quarter.code,
            score=70 + (index * 7) % 30,
            reports_submitted=3 - (index % 4 == 3),
            umkm_assisted=assisted,
            umkm_target=target,
            permits_facilitated=assisted // 4,
        )
