"""`monev activity …`, `monev activities merge` and `monev problem …`."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from apps.cli.context import (
    actor,
    application,
    done,
    fail,
    parse_money,
    parse_number,
    refusals,
)

activity_app = typer.Typer(
    rich_markup_mode=None,
    help="Activities (kegiatan): budget, indicator, targets.",
    no_args_is_help=True,
)
activities_app = typer.Typer(
    rich_markup_mode=None, help="Operations on several activities at once.", no_args_is_help=True
)
problem_app = typer.Typer(
    rich_markup_mode=None, help="Problems found in the field.", no_args_is_help=True
)


def _targets(text: str) -> list[float]:
    """Semicolons or slashes separate targets, since the comma is the decimal mark here."""
    return [parse_number(part) for part in re.split(r"[;/]", text) if part.strip()]


def _check_place(kecamatan: str | None, regency_wide: bool, *, required: bool) -> None:
    """A kecamatan, or regency-wide said explicitly: an empty --kecamatan is a slip, not a place.

    ``required``: an activity must say one or the other; a problem may say neither.
    """
    if kecamatan is not None and regency_wide:
        raise fail("Give either --kecamatan or --regency-wide, not both.")
    if kecamatan is None and not regency_wide and required:
        raise fail("Say where: --kecamatan NAME, or --regency-wide for the whole regency.")


TARGETS_HELP = (
    "Four quarterly targets, triwulan I to IV, separated by ';' or '/', e.g. 25;50;75;100."
)


@activity_app.command("register")
def register_activity(
    code: Annotated[str, typer.Argument(help="Activity code.")],
    program: Annotated[str, typer.Option(help="Program code.")],
    opd: Annotated[str, typer.Option(help="Code of the OPD running it.")],
    name: Annotated[str, typer.Option(help="Activity name.")],
    pagu: Annotated[str, typer.Option(help="Budget (pagu) in rupiah: 1250000 or 1.250.000.")],
    indicator: Annotated[str, typer.Option(help="Output indicator, e.g. 'IUMK diterbitkan'.")],
    unit: Annotated[str, typer.Option(help="Unit of the indicator, e.g. izin.")],
    target: Annotated[str, typer.Option(help="Annual target of the indicator.")],
    quarterly: Annotated[str, typer.Option(help=TARGETS_HELP)],
    kind: Annotated[
        str, typer.Option(help="cumulative (to-date) or incremental (per quarter).")
    ] = "incremental",
    kecamatan: Annotated[
        str | None,
        typer.Option(help="Kecamatan code or name (or say --regency-wide)."),
    ] = None,
    regency_wide: Annotated[
        bool,
        typer.Option("--regency-wide", help="The activity serves the whole regency."),
    ] = False,
) -> None:
    """Register an activity of a program for one OPD.

    Example: monev activity register A-01 --program SE-2017 --opd DISKOPUKM --name "Klinik BDS"
    --pagu 450.000.000 --indicator "UMKM didampingi" --unit UMKM --kind cumulative --target 400
    --quarterly "100;200;300;400" --kecamatan Grati
    """
    _check_place(kecamatan, regency_wide, required=True)
    with refusals():
        application().register_activity(
            actor(),
            code=code,
            program_code=program,
            opd_code=opd,
            name=name,
            pagu_rp=parse_money(pagu),
            indicator_name=indicator,
            indicator_unit=unit,
            indicator_kind=kind,
            annual_target=parse_number(target),
            quarterly_targets=_targets(quarterly),
            kecamatan=kecamatan,
        )
    done("Activity {code} registered.", code=code.upper())


@activity_app.command("revise-targets")
def revise_targets(
    code: Annotated[str, typer.Argument(help="Activity code.")],
    target: Annotated[str, typer.Option(help="New annual target.")],
    quarterly: Annotated[str, typer.Option(help=TARGETS_HELP)],
    reason: Annotated[str, typer.Option(help="Why the targets change.")],
    pagu: Annotated[str | None, typer.Option(help="New budget in rupiah, if it changes.")] = None,
) -> None:
    """Revise an activity's targets (and budget), saying why.

    Example: monev activity revise-targets A-01 --target 380 --quarterly "90;190;290;380"
    --reason "Refocusing anggaran"
    """
    with refusals():
        application().revise_activity_targets(
            actor(),
            activity_code=code,
            annual_target=parse_number(target),
            quarterly_targets=_targets(quarterly),
            reason=reason,
            pagu_rp=parse_money(pagu) if pagu else None,
        )
    done("Targets of {code} revised.", code=code.upper())


@activity_app.command("map-problem")
def map_problem(
    code: Annotated[str, typer.Argument(help="Activity code.")],
    problem: Annotated[str, typer.Option(help="Problem code the activity addresses.")],
) -> None:
    """Record that an activity addresses a problem.

    Example: monev activity map-problem A-01 --problem PRB-01
    """
    with refusals():
        application().map_activity_to_problem(actor(), activity_code=code, problem_code=problem)
    done(
        "{code} now addresses {problem}.",
        code=code.upper(),
        problem=problem.upper(),
    )


@activities_app.command("merge")
def merge(
    activities: Annotated[list[str], typer.Argument(help="Codes of the activities to merge.")],
    joint: Annotated[str, typer.Option(help="Code of the new joint activity.")],
    name: Annotated[str, typer.Option(help="Name of the joint activity.")],
    lead: Annotated[str, typer.Option(help="Code of the lead OPD (runs one of the activities).")],
) -> None:
    """Merge activities of different OPDs into one joint activity (division staff only).

    Example: monev activities merge A-DISPERTA-03 A-DISNAK-02 --joint J-INFLASI
    --name "Pengendalian inflasi pangan" --lead DISPERTA
    """
    with refusals():
        application().merge_activities(
            actor(), joint_code=joint, name=name, lead_opd_code=lead, activity_codes=activities
        )
    from domain.records import read_records

    merged = read_records(application()).activities[joint.strip().upper()]
    effective = read_records(application()).first_open_quarter(merged.fiscal_year)
    label = effective.label if effective else str(merged.fiscal_year)
    done(
        "{activities} merged into {joint}; the merge takes effect from {quarter}, the first "
        "quarter still open: the originals stop reporting for that whole quarter and the joint "
        "activity reports from it.",
        activities=", ".join(a.upper() for a in activities),
        joint=joint.upper(),
        quarter=label,
    )


@problem_app.command("identify")
def identify_problem(
    code: Annotated[str, typer.Argument(help="Problem code.")],
    title: Annotated[str, typer.Option(help="What the problem is.")],
    category: Annotated[
        str,
        typer.Option(
            help="izin_usaha, sarana_prasarana, permodalan, pemasaran, sdm, inflasi_pangan "
            "or lainnya."
        ),
    ],
    kecamatan: Annotated[
        str | None, typer.Option(help="Kecamatan code or name (or say --regency-wide).")
    ] = None,
    regency_wide: Annotated[
        bool, typer.Option("--regency-wide", help="The problem concerns the whole regency.")
    ] = False,
) -> None:
    """Record a problem found in the field (division staff only).

    Example: monev problem identify PRB-01 --title "Izin usaha mikro" --category izin_usaha
    --kecamatan Lekok
    """
    _check_place(kecamatan, regency_wide, required=False)
    with refusals():
        application().identify_problem(
            actor(), code=code, title=title, category=category, kecamatan=kecamatan
        )
    done("Problem {code} recorded.", code=code.upper())
