"""`monev opd …` and `monev program …`."""

from __future__ import annotations

from typing import Annotated

import typer

from apps.cli.context import actor, application, done, refusals

opd_app = typer.Typer(rich_markup_mode=None, help="Agencies (OPD).", no_args_is_help=True)
program_app = typer.Typer(
    rich_markup_mode=None, help="Programs and the OPDs taking part.", no_args_is_help=True
)


@opd_app.command("register")
def register_opd(
    code: Annotated[str, typer.Argument(help="Agency code, e.g. DISKOPUKM.")],
    name: Annotated[str, typer.Option(help="Full name of the agency.")],
    short_name: Annotated[str, typer.Option(help="Short name shown in tables.")] = "",
) -> None:
    """Register an agency (division staff only).

    Example: monev opd register DISKOPUKM --name "Dinas Koperasi dan Usaha Mikro"
    """
    with refusals():
        application().register_opd(actor(), code=code, name=name, short_name=short_name)
    done("OPD {code} registered.", code=code.upper())


@program_app.command("register")
def register_program(
    code: Annotated[str, typer.Argument(help="Program code, e.g. SE-2017.")],
    name: Annotated[str, typer.Option(help="Program name.")],
    opd: Annotated[str, typer.Option(help="Code of the OPD that owns the program.")],
    year: Annotated[int, typer.Option(help="Fiscal year.")],
) -> None:
    """Register a program of one fiscal year; OPD staff register their own.

    Example: monev program register SE-2017 --name "Satrya Emas" --opd DISKOPUKM --year 2017
    """
    with refusals():
        application().register_program(
            actor(), code=code, name=name, opd_code=opd, fiscal_year=year
        )
    done("Program {code} registered.", code=code.upper())


@program_app.command("join")
def join_program(
    program: Annotated[str, typer.Argument(help="Program code.")],
    opd: Annotated[str, typer.Option(help="Code of the OPD joining.")],
    role: Annotated[str, typer.Option(help="coordinator or member.")] = "member",
) -> None:
    """Add an OPD to a program as coordinator or member (division staff only).

    Example: monev program join SE-2017 --opd DISPERINDAG --role member
    """
    with refusals():
        application().join_program(actor(), program_code=program, opd_code=opd, role=role)
    done(
        "{opd} joined program {program} as {role}.",
        opd=opd.upper(),
        program=program.upper(),
        role=role,
    )
