"""The `monev` command line: one sub-app per noun, each command a thin call to the service.

The root group imports a command's module only when that command is used (``apps.cli.lazy``):
below is every command the root offers, in the order ``monev --help`` lists them.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated

import typer

from apps.cli import context
from apps.cli.lazy import LazyGroup, noun, root_commands

# Root commands, each from the module whose ``register(app)`` adds it.
ROOT_COMMANDS: dict[str, str] = {
    "demo": "apps.cli.admin",
    "log": "apps.cli.admin",
    "refresh": "apps.cli.warehouse",
    "verify": "apps.cli.warehouse",
    "rebuild": "apps.cli.warehouse",
    "dashboard": "apps.cli.warehouse",
    "template": "apps.cli.spreadsheet_commands",
    "import": "apps.cli.spreadsheet_commands",
    "export": "apps.cli.spreadsheet_commands",
    "doctor": "apps.cli.operations",
    "backup": "apps.cli.operations",
    "restore": "apps.cli.operations",
    "migrate": "apps.cli.operations",
    "postgres-setup": "apps.cli.operations",
    "login": "apps.cli.login",
    "logout": "apps.cli.login",
}
# Nouns: the module and name of each sub-app.
NOUNS: dict[str, tuple[str, str]] = {
    "opd": ("apps.cli.agencies", "opd_app"),
    "program": ("apps.cli.agencies", "program_app"),
    "activity": ("apps.cli.planning", "activity_app"),
    "activities": ("apps.cli.planning", "activities_app"),
    "problem": ("apps.cli.planning", "problem_app"),
    "rakor": ("apps.cli.evaluation", "rakor_app"),
    "quarter": ("apps.cli.evaluation", "quarter_app"),
    "evaluation": ("apps.cli.evaluation", "evaluation_app"),
    "recommendation": ("apps.cli.evaluation", "recommendation_app"),
    "region": ("apps.cli.satrya_emas", "region_app"),
    "mentor": ("apps.cli.satrya_emas", "mentor_app"),
    "user": ("apps.cli.admin", "user_app"),
    "report": ("apps.cli.report", "report_app"),
}
# Nouns that ``apps.cli.listing`` gives their list/show commands.
LISTING = "apps.cli.listing"
LISTED = frozenset({"opd", "program", "activity", "problem", "mentor", "recommendation", "quarter"})


class MonevGroup(LazyGroup):
    loaders = {  # noqa: RUF012
        **{name: partial(root_commands, module) for name, module in ROOT_COMMANDS.items()},
        **{
            name: partial(noun, name, *source, *([LISTING] if name in LISTED else []))
            for name, source in NOUNS.items()
        },
    }


app = typer.Typer(
    cls=MonevGroup,
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
