"""`monev rakor …`, `monev quarter …`, `monev evaluation …`, `monev recommendation …`."""

from __future__ import annotations

from typing import Annotated

import typer

from apps.cli.context import (
    actor,
    application,
    done,
    parse_date,
    parse_money,
    parse_number,
    refusals,
    split_list,
)
from domain.quarters import Quarter

rakor_app = typer.Typer(
    rich_markup_mode=None,
    help="Quarterly coordination-and-evaluation meetings.",
    no_args_is_help=True,
)
quarter_app = typer.Typer(rich_markup_mode=None, help="Quarters (triwulan).", no_args_is_help=True)
evaluation_app = typer.Typer(
    rich_markup_mode=None, help="Quarterly realisation of activities.", no_args_is_help=True
)
recommendation_app = typer.Typer(
    rich_markup_mode=None, help="Rakor recommendations and their follow-up.", no_args_is_help=True
)

QUARTER_HELP = "Quarter, e.g. 2017-Q2 (triwulan II 2017)."


@rakor_app.command("hold")
def hold_rakor(
    quarter: Annotated[str, typer.Argument(help=QUARTER_HELP)],
    held_on: Annotated[str, typer.Option("--date", help="Date of the meeting, YYYY-MM-DD.")],
    attending: Annotated[str, typer.Option(help="Codes of attending OPDs, comma separated.")] = "",
    notes: Annotated[str, typer.Option(help="Notes of the meeting.")] = "",
) -> None:
    """Record the rakor evaluasi triwulan of a quarter (division staff only).

    Example: monev rakor hold 2017-Q1 --date 2017-04-12 --attending DISKOPUKM,DISPERTA
    """
    with refusals():
        application().hold_rakor(
            actor(),
            quarter=quarter,
            held_on=parse_date(held_on),
            attending_opd_codes=split_list(attending),
            notes=notes,
        )
        label = Quarter.parse(quarter).label
    done("Rakor {label} recorded.", label=label)


@quarter_app.command("close")
def close_quarter(quarter: Annotated[str, typer.Argument(help=QUARTER_HELP)]) -> None:
    """Close a quarter after its rakor: its evaluations are locked (division staff only).

    Example: monev quarter close 2017-Q1
    """
    with refusals():
        application().close_quarter(actor(), quarter=quarter)
        label = Quarter.parse(quarter).label
    done("{label} closed.", label=label)


@evaluation_app.command("record")
def record_evaluation(
    activity: Annotated[str, typer.Argument(help="Activity code.")],
    quarter: Annotated[str, typer.Argument(help=QUARTER_HELP)],
    physical: Annotated[str, typer.Option(help="Physical realisation to date, 0 to 100 (%).")],
    financial: Annotated[str, typer.Option(help="Money spent in the quarter, rupiah.")],
    indicator: Annotated[str, typer.Option(help="Indicator realisation (per its kind).")],
    drivers: Annotated[str, typer.Option(help="Faktor pendorong.")] = "",
    obstacles: Annotated[str, typer.Option(help="Faktor penghambat.")] = "",
) -> None:
    """Record an activity's realisation for a quarter; replaces it while the quarter is open.

    Example: monev evaluation record A-01 2017-Q2 --physical 50 --financial 99.000.000
    --indicator 210
    """
    with refusals():
        application().record_evaluation(
            actor(),
            activity_code=activity,
            quarter=quarter,
            physical_pct=parse_number(physical),
            financial_rp=parse_money(financial),
            indicator_value=parse_number(indicator),
            drivers=drivers,
            obstacles=obstacles,
        )
    done(
        "Evaluation of {activity} for {quarter} recorded.",
        activity=activity.upper(),
        quarter=Quarter.parse(quarter).label,
    )


@evaluation_app.command("correct")
def correct_evaluation(
    activity: Annotated[str, typer.Argument(help="Activity code.")],
    quarter: Annotated[str, typer.Argument(help=QUARTER_HELP)],
    physical: Annotated[str, typer.Option(help="Corrected physical realisation (%).")],
    financial: Annotated[str, typer.Option(help="Corrected money spent in the quarter, rupiah.")],
    indicator: Annotated[str, typer.Option(help="Corrected indicator realisation.")],
    reason: Annotated[str, typer.Option(help="Why the correction is needed.")],
    drivers: Annotated[str, typer.Option(help="Faktor pendorong.")] = "",
    obstacles: Annotated[str, typer.Option(help="Faktor penghambat.")] = "",
) -> None:
    """Correct a recorded evaluation, also in a closed quarter, with a reason.

    Example: monev evaluation correct A-01 2017-Q1 --physical 26 --financial 41.000.000
    --indicator 31 --reason "Salah ketik"
    """
    with refusals():
        application().correct_evaluation(
            actor(),
            activity_code=activity,
            quarter=quarter,
            physical_pct=parse_number(physical),
            financial_rp=parse_money(financial),
            indicator_value=parse_number(indicator),
            reason=reason,
            drivers=drivers,
            obstacles=obstacles,
        )
    done(
        "Evaluation of {activity} for {quarter} corrected.",
        activity=activity.upper(),
        quarter=Quarter.parse(quarter).label,
    )


@recommendation_app.command("issue")
def issue_recommendation(
    code: Annotated[str, typer.Argument(help="Recommendation code.")],
    quarter: Annotated[str, typer.Option(help="Quarter of the rakor that issues it.")],
    opd: Annotated[str, typer.Option(help="OPD that must follow it up.")],
    text: Annotated[str, typer.Option(help="The recommendation.")],
    due: Annotated[str, typer.Option(help="Quarter by which it must be done.")],
    activity: Annotated[str | None, typer.Option(help="Activity it concerns.")] = None,
    problem: Annotated[str | None, typer.Option(help="Problem it concerns.")] = None,
) -> None:
    """Issue a rakor recommendation to an OPD (division staff only).

    Example: monev recommendation issue REK-01 --quarter 2017-Q1 --opd DPMPTSP
    --text "Percepat IUMK" --due 2017-Q2
    """
    with refusals():
        application().issue_recommendation(
            actor(),
            code=code,
            quarter=quarter,
            opd_code=opd,
            text=text,
            due_quarter=due,
            activity_code=activity,
            problem_code=problem,
        )
    done(
        "Recommendation {code} issued to {opd}.",
        code=code.upper(),
        opd=opd.upper(),
    )


@recommendation_app.command("follow-up")
def follow_up(
    code: Annotated[str, typer.Argument(help="Recommendation code.")],
    quarter: Annotated[str, typer.Option(help=QUARTER_HELP)],
    progress: Annotated[str, typer.Option(help="What was done (tindak lanjut).")],
    is_done: Annotated[bool, typer.Option("--done/--not-done", help="Is it finished?")] = False,
) -> None:
    """Record a follow-up (tindak lanjut); only the recommendation's OPD or division staff.

    Example: monev recommendation follow-up REK-01 --quarter 2017-Q2 --progress "210 IUMK" --done
    """
    with refusals():
        application().follow_up_recommendation(
            actor(), code=code, quarter=quarter, progress=progress, is_done=is_done
        )
    if is_done:
        done("Follow-up of {code} recorded (done).", code=code.upper())
    else:
        done("Follow-up of {code} recorded.", code=code.upper())
