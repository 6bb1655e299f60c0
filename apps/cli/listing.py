"""`monev <noun> list` and `monev <noun> show`: what is recorded, straight from the event store.

Read through the domain's read model (``domain.records``), so a record shows up the moment its
command is stored, before any `monev refresh`. Columns are listed in ``docs/cli.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from apps.cli.agencies import opd_app, program_app
from apps.cli.context import application, fail, refusals
from apps.cli.evaluation import quarter_app, recommendation_app
from apps.cli.output import FORMAT_OPTION, Format, emit_record, emit_rows
from apps.cli.planning import activity_app, problem_app
from apps.cli.satrya_emas import mentor_app
from domain.kecamatan import kecamatan_name, resolve_kecamatan
from domain.quarters import Quarter
from domain.rules import normalise_code

if TYPE_CHECKING:  # the records (and the library) load only when a command reads them
    from domain.records import ActivityRecord, ProgramRecord, Records

FormatOption = Annotated[Format, FORMAT_OPTION]


def records() -> Records:
    from domain.records import read_records

    return read_records(application())


def _kecamatan(code: str | None) -> str:
    return kecamatan_name(code) if code else ""


# -- OPD and programs ------------------------------------------------------------------------


@opd_app.command("list")
def list_opds(fmt: FormatOption = Format.table) -> None:
    """List the registered agencies.

    Example: monev opd list --format csv
    """
    rows = [vars(o) for o in sorted(records().opds.values(), key=lambda o: o.code)]
    emit_rows(rows, ["code", "name", "short_name"], fmt, "OPD")


PROGRAM_COLUMNS = [
    "code",
    "name",
    "opd_code",
    "fiscal_year",
    "coordinator",
    "members",
    "activities",
]


def _program_row(program: ProgramRecord) -> dict[str, object]:
    return {
        "code": program.code,
        "name": program.name,
        "opd_code": program.opd_code,
        "fiscal_year": program.fiscal_year,
        "coordinator": program.coordinator,
        "members": sorted(program.members),
        "activities": len(program.activities),
    }


@program_app.command("list")
def list_programs(
    year: Annotated[int | None, typer.Option(help="Only this fiscal year.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List the programs with their lead OPD, coordinator and members.

    Example: monev program list --year 2017
    """
    programs = sorted(records().programs.values(), key=lambda p: p.code)
    rows = [_program_row(p) for p in programs if year is None or p.fiscal_year == year]
    shown = ["code", "name", "opd_code", "fiscal_year", "coordinator", "activities"]
    emit_rows(rows, PROGRAM_COLUMNS, fmt, "Program", shown)


@program_app.command("show")
def show_program(
    code: Annotated[str, typer.Argument(help="Program code.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Show a program: its lead, coordinator, members and activities.

    Example: monev program show SE-2017
    """
    current = records()
    with refusals():
        key = normalise_code(code, "Program")
    program = current.programs.get(key)
    if program is None:
        raise fail("{what} '{key}' is not registered.", what="Program", key=key)
    members = [{"opd_code": program.opd_code, "role": "lead"}] + [
        {"opd_code": opd, "role": role} for opd, role in sorted(program.members.items())
    ]
    activities = [
        {"code": a.code, "name": a.name, "opd_code": a.opd_code, "merged_into": a.merged_into}
        for a in (current.activities[c] for c in program.activities)
    ]
    record = _program_row(program)
    record["activities"] = len(activities)
    emit_record(
        record,
        {
            "members": (members, ["opd_code", "role"]),
            "activities": (activities, ["code", "name", "opd_code", "merged_into"]),
        },
        fmt,
        f"Program {program.code}",
    )


# -- activities and problems ------------------------------------------------------------------

ACTIVITY_COLUMNS = [
    "code",
    "name",
    "program_code",
    "opd_code",
    "kecamatan_code",
    "kecamatan",
    "fiscal_year",
    "pagu_rp",
    "financial_realised_rp",
    "indicator_name",
    "indicator_unit",
    "indicator_kind",
    "annual_target",
    "quarters_evaluated",
    "is_joint",
    "merged_into",
]


def _activity_row(a: ActivityRecord) -> dict[str, object]:
    return {
        "code": a.code,
        "name": a.name,
        "program_code": a.program_code,
        "opd_code": a.opd_code,
        "kecamatan_code": a.kecamatan_code,
        "kecamatan": _kecamatan(a.kecamatan_code),
        "fiscal_year": a.fiscal_year,
        "pagu_rp": a.pagu_rp,
        "financial_realised_rp": a.financial_realised_rp,
        "indicator_name": a.indicator_name,
        "indicator_unit": a.indicator_unit,
        "indicator_kind": a.indicator_kind,
        "annual_target": a.annual_target,
        "quarters_evaluated": sorted(a.evaluations),
        "is_joint": a.is_joint,
        "merged_into": a.merged_into,
    }


@activity_app.command("list")
def list_activities(
    opd: Annotated[str | None, typer.Option(help="Only activities this OPD takes part in.")] = None,
    program: Annotated[str | None, typer.Option(help="Only this program's.")] = None,
    kecamatan: Annotated[str | None, typer.Option(help="Only in this kecamatan.")] = None,
    year: Annotated[int | None, typer.Option(help="Only this fiscal year.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List activities, optionally of one OPD, program, kecamatan or fiscal year.

    Example: monev activity list --opd DISKOPUKM --year 2017 --format json
    """
    with refusals():
        opd_code = normalise_code(opd, "OPD") if opd is not None else None
        program_code = normalise_code(program, "Program") if program is not None else None
        kecamatan_code = resolve_kecamatan(kecamatan) if kecamatan is not None else None
    rows = [
        _activity_row(a)
        for a in sorted(records().activities.values(), key=lambda a: a.code)
        if (opd_code is None or opd_code in a.participant_opds)
        and (program_code is None or a.program_code == program_code)
        and (kecamatan_code is None or a.kecamatan_code == kecamatan_code)
        and (year is None or a.fiscal_year == year)
    ]
    shown = ["code", "name", "opd_code", "kecamatan", "pagu_rp", "financial_realised_rp",
             "quarters_evaluated", "merged_into"]  # fmt: skip
    emit_rows(rows, ACTIVITY_COLUMNS, fmt, "Kegiatan", shown)


@activity_app.command("show")
def show_activity(
    code: Annotated[str, typer.Argument(help="Activity code.")],
    fmt: FormatOption = Format.table,
) -> None:
    """Show an activity: budget, targets, revisions, evaluations per quarter, merges.

    Example: monev activity show A-DISKOP-01
    """
    with refusals():
        key = normalise_code(code, "Activity")
    activity = records().activities.get(key)
    if activity is None:
        raise fail("{what} '{key}' is not registered.", what="Activity", key=key)
    record = _activity_row(activity)
    record.update(
        quarterly_targets=list(activity.quarterly_targets),
        participant_opds=list(activity.participant_opds),
        merged_from=list(activity.merged_from),
        problems=list(activity.problems),
    )
    evaluations = [vars(e) for _, e in sorted(activity.evaluations.items())]
    revisions = [vars(r) for r in activity.revisions]
    emit_record(
        record,
        {
            "evaluations": (
                evaluations,
                ["quarter", "physical_pct", "financial_rp", "indicator_value", "corrections"],
            ),
            "revisions": (
                revisions,
                ["revised_at", "pagu_rp", "annual_target", "quarterly_targets", "reason"],
            ),
        },
        fmt,
        f"Kegiatan {activity.code}",
    )


@problem_app.command("list")
def list_problems(fmt: FormatOption = Format.table) -> None:
    """List the problems found in the field and the activities addressing each.

    Example: monev problem list
    """
    rows = [
        {**vars(p), "kecamatan": _kecamatan(p.kecamatan_code)}
        for p in sorted(records().problems.values(), key=lambda p: p.code)
    ]
    columns = ["code", "title", "category", "kecamatan_code", "kecamatan", "activities"]
    emit_rows(rows, columns, fmt, "Masalah")


# -- Satrya Emas, recommendations, quarters ----------------------------------------------------


@mentor_app.command("list")
def list_mentors(
    kecamatan: Annotated[
        str | None, typer.Option(help="Only mentors serving this kecamatan now.")
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List the mentors, the kecamatan each serves now, and whether one serves two ('dobel').

    Example: monev mentor list --kecamatan Lekok
    """
    with refusals():
        wanted = resolve_kecamatan(kecamatan) if kecamatan is not None else None
    rows = [
        {
            "code": m.code,
            "name": m.name,
            "kind": m.kind,
            "recruited_by_opd": m.recruited_by_opd,
            "registered_on": m.registered_on,
            "kecamatan_codes": sorted(m.assignments),
            "kecamatan": [kecamatan_name(k) for k in sorted(m.assignments)],
            "is_dobel": len(m.assignments) > 1,
            "quarters_evaluated": list(m.evaluated_quarters),
        }
        for m in sorted(records().mentors.values(), key=lambda m: m.code)
        if wanted is None or wanted in m.assignments
    ]
    columns = [
        "code",
        "name",
        "kind",
        "recruited_by_opd",
        "registered_on",
        "kecamatan_codes",
        "kecamatan",
        "is_dobel",
        "quarters_evaluated",
    ]
    shown = ["code", "name", "kind", "kecamatan", "is_dobel"]
    emit_rows(rows, columns, fmt, "Tenaga pendamping", shown)


STATUSES = ("open", "done", "overdue")

RECOMMENDATION_COLUMNS = [
    "code",
    "quarter",
    "opd_code",
    "due_quarter",
    "status",
    "activity_code",
    "problem_code",
    "follow_ups",
    "last_follow_up",
    "text",
]


@recommendation_app.command("list")
def list_recommendations(
    opd: Annotated[str | None, typer.Option(help="Only this OPD's.")] = None,
    status: Annotated[
        str | None,
        typer.Option(help="open, done or overdue (undone past its due quarter)."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(help="Quarter the status is judged at (default: the newest on record)."),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List recommendations with their status and follow-ups.

    A recommendation is done when its latest follow-up says so; overdue when it is not done and
    its due quarter lies before the quarter judged at, as in the warehouse's marts.

    Example: monev recommendation list --opd DPMPTSP --status overdue
    """
    if status is not None and status not in STATUSES:
        raise fail(
            "{what} '{value}' is not one of: {allowed}.",
            what="Status",
            value=status,
            allowed=", ".join(STATUSES),
        )
    current = records()
    with refusals():
        opd_code = normalise_code(opd, "OPD") if opd is not None else None
        judged_at = Quarter.parse(as_of).code if as_of else current.latest_quarter
    rows = []
    for r in sorted(current.recommendations.values(), key=lambda r: r.code):
        row = {
            "code": r.code,
            "quarter": r.quarter,
            "opd_code": r.opd_code,
            "due_quarter": r.due_quarter,
            "status": r.status(judged_at),
            "activity_code": r.activity_code,
            "problem_code": r.problem_code,
            "follow_ups": len(r.follow_ups),
            "last_follow_up": r.follow_ups[-1].progress if r.follow_ups else None,
            "text": r.text,
        }
        if (opd_code is None or r.opd_code == opd_code) and (status in (None, row["status"])):
            rows.append(row)
    shown = ["code", "opd_code", "due_quarter", "status", "follow_ups", "text"]
    emit_rows(rows, RECOMMENDATION_COLUMNS, fmt, "Rekomendasi", shown)


@quarter_app.command("list")
def list_quarters(fmt: FormatOption = Format.table) -> None:
    """List the quarters on record: rakor held (when, who attended), closed, evaluations.

    Example: monev quarter list
    """
    rows = [
        {
            "quarter": q.quarter,
            "rakor_held_on": q.rakor_held_on,
            "is_closed": q.is_closed,
            "evaluations": q.evaluations,
            "attending_opd_codes": list(q.attending_opd_codes),
        }
        for q in sorted(records().quarters.values(), key=lambda q: Quarter.parse(q.quarter))
    ]
    columns = ["quarter", "rakor_held_on", "is_closed", "evaluations", "attending_opd_codes"]
    emit_rows(rows, columns, fmt, "Triwulan")
