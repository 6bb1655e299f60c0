"""`monev template`, `monev import` and `monev export`: spreadsheets in and out.

Thin wrappers over ``apps.spreadsheets``: the dashboard's upload and download call the same
functions, so a file gets the same verdict in either place.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ClassVar

import typer

from apps.cli import context
from apps.cli.context import actor, application, done, fail, is_interactive, refusals, settings

if TYPE_CHECKING:  # spreadsheets (openpyxl, numpy) and rich load only for these commands
    from rich.progress import Progress, TaskID

    from apps.spreadsheets.importer import ImportReport

PROGRESS_FROM_ROWS = 1000
QUARTER_HELP = "Quarter (triwulan), e.g. 2017-Q2."


def register(app: typer.Typer) -> None:
    """Adds the three commands to the root `monev` app."""
    app.command("template")(template)
    app.command("import")(import_file)
    app.command("export")(export)


def template(
    kind: Annotated[
        str, typer.Argument(help="Which template: activities, evaluations or followups.")
    ],
    opd: Annotated[
        str | None,
        typer.Option(help="Pre-fill with this agency's programs, activities or recommendations."),
    ] = None,
    quarter: Annotated[
        str | None,
        typer.Option(help=f"{QUARTER_HELP} Fills in the quarter and what is recorded for it."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where to write the XLSX (default: a name in ./)."),
    ] = None,
) -> None:
    """Write an XLSX template to fill in and import (headers in Bahasa Indonesia).

    Example: monev template evaluations --opd DISKOPUKM --quarter 2017-Q2
    """
    from apps.spreadsheets.templates import build_template, template_file_name

    with refusals():
        workbook = build_template(application(), kind, opd=opd, quarter=quarter)
        path = output or Path(template_file_name(kind, opd, quarter))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        workbook.save(path)
    except OSError as error:
        raise fail(
            "Cannot write {path}: {error}.",
            path=path,
            error=error.strerror or error,
        ) from None
    done("Template written: {path}", path=path)


def import_file(
    file: Annotated[Path, typer.Argument(help="XLSX or CSV file (UTF-8 or Windows-1252, ; or ,).")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and report; store nothing.")
    ] = False,
) -> None:
    """Import programs, activities, realisation or follow-ups; all rows or none.

    Every row becomes a domain command of the acting user (--user). If any row is refused,
    nothing is stored and every refused row is listed. Rows already recorded are skipped.

    Example: monev --user opd-diskopukm import realisasi-2017-Q2.xlsx --dry-run
    """
    from apps.spreadsheets.importer import import_spreadsheet

    with refusals():
        who = actor()
        app = application()
    with refusals(), _ProgressBar() as bar:
        report = import_spreadsheet(
            app, who, file, dry_run=dry_run, progress=bar.update, lang=context.lang()
        )
    _print_report(report)
    if not report.ok:
        raise fail("{rows} row(s) refused, nothing stored.", rows=report.refused_rows)


def export(
    what: Annotated[
        str,
        typer.Argument(
            help="A mart of schema marts (e.g. activity_quarter, opd_quarter) or 'form' for "
            "the Permendagri 86 evaluation form."
        ),
    ],
    quarter: Annotated[str | None, typer.Option(help=QUARTER_HELP)] = None,
    file_format: Annotated[
        str, typer.Option("--format", help="csv, xlsx or parquet (the form is always xlsx).")
    ] = "csv",
    opd: Annotated[str | None, typer.Option(help="Agency code (required for the form).")] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Where to write the file (default: a name in ./)."),
    ] = None,
) -> None:
    """Export a quarterly mart, or an OPD's evaluation form, from the published warehouse.

    Examples: monev export activity_quarter --quarter 2017-Q2 --format xlsx;
    monev export form --opd DISKOPUKM --quarter 2017-Q2
    """
    from apps.spreadsheets.export import export_form, export_mart

    with refusals():
        warehouse = settings().warehouse_path
        if what.strip().lower() == "form":
            if not opd or not quarter:
                raise fail("The evaluation form needs --opd CODE and --quarter, e.g. 2017-Q2.")
            path = export_form(warehouse, opd, quarter, output)
        else:
            path = export_mart(warehouse, what, quarter, file_format, output)
    done("Export written: {path}", path=path)


class _ProgressBar:
    """A rich progress bar on stderr, for large files, when stderr is a terminal.

    It appears only once a phase is known to be long (more than ``PROGRESS_FROM_ROWS``
    rows) and someone is watching, so a script or a test sees nothing but the report.
    """

    PHASES: ClassVar[dict[str, str]] = {
        "read": "Membaca / reading",
        "check": "Memeriksa / checking",
        "store": "Menyimpan / storing",
    }

    def __init__(self) -> None:
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, phase: str, done_rows: int, total: int) -> None:
        if self._progress is None:
            if total <= PROGRESS_FROM_ROWS or not is_interactive():
                return
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
            )
            self._progress.start()
        if phase not in self._tasks:
            self._tasks[phase] = self._progress.add_task(self.PHASES.get(phase, phase), total=total)
        if done_rows == total or done_rows % 100 == 0:
            self._progress.update(self._tasks[phase], completed=done_rows, total=total)


def _print_report(report: ImportReport) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=160) if not is_interactive() else Console()
    if report.refused:
        table = Table(title="Baris ditolak / refused rows", show_lines=False)
        for header in (
            "Sheet",
            "Baris / row",
            "Kolom / column",
            "Nilai / value",
            "Alasan / reason",
        ):
            table.add_column(header, overflow="fold")
        for problem in report.refused:
            table.add_row(
                problem.sheet, str(problem.row), problem.column, problem.value, problem.reason
            )
        console.print(table)
    else:
        done(report.summary())
