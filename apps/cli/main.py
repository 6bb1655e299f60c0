"""The `monev` command line: one sub-app per noun, each command a thin call to the service."""

from __future__ import annotations

from typing import Annotated

import typer

from apps.cli import admin, context, login, operations, spreadsheet_commands, warehouse
from apps.cli.agencies import opd_app, program_app
from apps.cli.evaluation import evaluation_app, quarter_app, rakor_app, recommendation_app
from apps.cli.planning import activities_app, activity_app, problem_app
from apps.cli.satrya_emas import mentor_app, region_app

app = typer.Typer(
    name="monev",
    help="monev: monitoring dan evaluasi sektor ekonomi Kabupaten Pasuruan.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    user: Annotated[
        str | None,
        typer.Option(
            "--user", "-u", envvar="MONEV_USER", help="Acting user (from the users file)."
        ),
    ] = None,
) -> None:
    """Record through domain commands, refresh the warehouse, serve the dashboard.

    Data lives in MONEV_HOME (default ./data).
    """
    context.set_user(user)


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
):
    app.add_typer(sub_app, name=noun)

app.command("demo")(admin.demo)
app.command("log")(admin.log)
warehouse.register(app)
spreadsheet_commands.register(app)
operations.register(app)
login.register(app)
