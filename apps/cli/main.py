"""The `monev` command line: one sub-app per noun, each command a thin call to the service."""

from __future__ import annotations

from typing import Annotated

import typer

from apps.cli import (
    admin,
    context,
    listing,  # noqa: F401 - adds the list/show commands to the noun apps
    login,
    operations,
    spreadsheet_commands,
    warehouse,
)
from apps.cli.agencies import opd_app, program_app
from apps.cli.evaluation import evaluation_app, quarter_app, rakor_app, recommendation_app
from apps.cli.planning import activities_app, activity_app, problem_app
from apps.cli.report import report_app
from apps.cli.satrya_emas import mentor_app, region_app

app = typer.Typer(
    name="monev",
    help="monev: monitoring dan evaluasi sektor ekonomi Kabupaten Pasuruan.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain help and usage errors: rendering them with rich cost every `--help` more than the
    # rest of monev's start-up (docs/benchmarks.md).
    rich_markup_mode=None,
)


@app.callback()
def main(
    user: Annotated[
        str | None,
        typer.Option(
            "--user", "-u", envvar="MONEV_USER", help="Acting user (from the users file)."
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            envvar="MONEV_LANG",
            help="Language of messages: id (Bahasa Indonesia, the default) or en.",
        ),
    ] = None,
) -> None:
    """Record through domain commands, refresh the warehouse, serve the dashboard.

    Data lives in MONEV_HOME (default ./data). Exit codes: 0 done, 1 refused (one line on
    stderr says why; nothing was stored), 2 wrong usage (an unknown option, a missing argument).
    """
    context.set_user(user)
    context.set_language(lang)


for sub_app, noun in (
    (opd_app, "opd"),
    (program_app, "program"),
    (activity_app, "activity"),
    (activities_app, "activities"),
    (problem_app, "problem"),
    (rakor_app, "rakor"),
    (quarter_app, "quarter"),
    (evaluation_app, "evaluation"),
    (recommendation_app, "recommendation"),
    (region_app, "region"),
    (mentor_app, "mentor"),
    (admin.user_app, "user"),
    (report_app, "report"),
):
    app.add_typer(sub_app, name=noun)

app.command("demo")(admin.demo)
app.command("log")(admin.log)
warehouse.register(app)
spreadsheet_commands.register(app)
operations.register(app)
login.register(app)
