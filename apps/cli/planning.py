"""`monev activity …`, `monev activities merge` and `monev problem …`."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from apps.cli.context import (
    actor,
    application,
    done,
    parse_money,
    parse_number,
    refusals,
)

activity_app = typer.Typer(
    help="Activities (kegiatan): budget, indicator, targets.", no_args_is_help=True
)
activities_app = typer.Typer(help="Operations on several activities at once.", no_args_is_help=True)
problem_app = typer.Typer(help="Problems found in the field.", no_args_is_help=True)


def _targets(text: str) -> list[float]:
    """Semicolons or slashes separate targets, since the comma is the decimal mark here."""
    return [parse_number(part) for part in re.split(r"[;/]", text) if part.strip()]


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
        str | None, typer.Option(help="Kecamatan code or name; omit for regency-wide.")
    ] = None,
) -> None:
    """Register an activity of a program for one OPD.

    Example: monev activity register A-01 --program SE-2017 --opd DISKOPUKM --name "Klinik BDS"
    --pagu 450.000.000 --indicator "UMKM didampingi" --unit UMKM --kind cumulative --target 400
    --quarterly "100;200;300;400" --kecamatan Grati
    """
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
    done(
        "{activities} merged into {joint}.",
        activities=", ".join(a.upper() for a in activities),
        joint=joint.upper(),
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
    kecamatan: Annotated[str | None, typer.Option(help="Kecamatan code or name.")] = None,
) -> None:
    """Record a problem found in the field (division staff only).

    Example: monev problem identify PRB-01 --title "Izin usaha mikro" --category izin_usaha
    --kecamatan Lekok
    """
    with refusals():
        application().identify_problem(
            actor(), code=code, title=title, category=category, kecamatan=kecamatan
        )
    done("Problem {code} recorded.", code=code.upper())
