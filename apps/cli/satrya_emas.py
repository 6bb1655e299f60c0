"""`monev region …` and `monev mentor …` for the Satrya Emas program."""

from __future__ import annotations

from typing import Annotated

import typer

from apps.cli.context import actor, application, done, parse_date, parse_number, refusals

region_app = typer.Typer(
    rich_markup_mode=None,
    help="Satrya Emas service regions (wilayah pelayanan).",
    no_args_is_help=True,
)
mentor_app = typer.Typer(
    rich_markup_mode=None, help="Satrya Emas mentors (tenaga pendamping).", no_args_is_help=True
)


@region_app.command("define")
def define_region(
    code: Annotated[str, typer.Argument(help="Region code, e.g. WP-1.")],
    name: Annotated[str, typer.Option(help="Region name.")],
    kecamatan: Annotated[list[str], typer.Option(help="A kecamatan it covers; repeat the option.")],
) -> None:
    """Define a service region and the kecamatan it covers (division staff only).

    Example: monev region define WP-1 --name "Pesisir Timur" --kecamatan Nguling --kecamatan Lekok
    """
    with refusals():
        application().define_service_region(actor(), code=code, name=name, kecamatan=kecamatan)
    done("Service region {code} defined.", code=code.upper())


@mentor_app.command("register")
def register_mentor(
    code: Annotated[str, typer.Argument(help="Mentor code.")],
    name: Annotated[str, typer.Option(help="Mentor's name.")],
    opd: Annotated[str, typer.Option(help="OPD that recruited the mentor.")] = "DISKOPUKM",
    kind: Annotated[
        str, typer.Option(help="kecamatan (field mentor) or kabupaten (admin).")
    ] = "kecamatan",
    registered_on: Annotated[str, typer.Option("--date", help="First day, YYYY-MM-DD.")] = "",
) -> None:
    """Register a mentor recruited through an OPD (division staff only).

    Example: monev mentor register M01 --name "Siti Aminah" --date 2017-01-02
    """
    from datetime import date

    with refusals():
        application().register_mentor(
            actor(),
            code=code,
            name=name,
            recruited_by_opd=opd,
            kind=kind,
            registered_on=parse_date(registered_on) if registered_on else date.today(),
        )
    done("Mentor {code} registered.", code=code.upper())


@mentor_app.command("assign")
def assign_mentor(
    code: Annotated[str, typer.Argument(help="Mentor code.")],
    kecamatan: Annotated[str, typer.Argument(help="Kecamatan code or name.")],
    from_date: Annotated[str, typer.Option("--from", help="First day of service, YYYY-MM-DD.")],
) -> None:
    """Assign a mentor to a kecamatan; a second kecamatan makes the mentor 'dobel'.

    Example: monev mentor assign M01 Lekok --from 2017-01-09
    """
    with refusals():
        application().assign_mentor(
            actor(), mentor_code=code, kecamatan=kecamatan, from_date=parse_date(from_date)
        )
    done("Mentor {code} assigned to {kecamatan}.", code=code.upper(), kecamatan=kecamatan)


@mentor_app.command("unassign")
def unassign_mentor(
    code: Annotated[str, typer.Argument(help="Mentor code.")],
    kecamatan: Annotated[str, typer.Argument(help="Kecamatan code or name.")],
    to_date: Annotated[str, typer.Option("--to", help="Last day of service, YYYY-MM-DD.")],
    reason: Annotated[str, typer.Option(help="Why the assignment ends.")] = "",
) -> None:
    """End a mentor's assignment to a kecamatan.

    Example: monev mentor unassign M08 Kraton --to 2017-09-30 --reason "Mengundurkan diri"
    """
    with refusals():
        application().unassign_mentor(
            actor(),
            mentor_code=code,
            kecamatan=kecamatan,
            to_date=parse_date(to_date),
            reason=reason,
        )
    done(
        "Mentor {code} no longer serves {kecamatan}.",
        code=code.upper(),
        kecamatan=kecamatan,
    )


@mentor_app.command("evaluate")
def evaluate_mentor(
    code: Annotated[str, typer.Argument(help="Mentor code.")],
    quarter: Annotated[str, typer.Argument(help="Quarter, e.g. 2017-Q2.")],
    score: Annotated[str, typer.Option(help="Commitment score, 0 to 100.")],
    reports: Annotated[int, typer.Option(help="Reports submitted in the quarter.")],
    assisted: Annotated[int, typer.Option(help="UMKM assisted in the quarter.")],
    target: Annotated[int, typer.Option(help="UMKM to assist in the quarter (target).")],
    permits: Annotated[int, typer.Option(help="Business permits facilitated.")] = 0,
    notes: Annotated[str, typer.Option(help="Notes.")] = "",
) -> None:
    """Score a mentor's commitment and results for a quarter (division staff only).

    Example: monev mentor evaluate M01 2017-Q1 --score 85 --reports 3 --assisted 28 --target 30
    """
    with refusals():
        application().evaluate_mentor_commitment(
            actor(),
            mentor_code=code,
            quarter=quarter,
            score=parse_number(score),
            reports_submitted=reports,
            umkm_assisted=assisted,
            umkm_target=target,
            permits_facilitated=permits,
            notes=notes,
        )
    done("Commitment of mentor {code} evaluated.", code=code.upper())
