"""`monev report rakor QUARTER`: the quarterly evaluation report as PDF or DOCX."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from apps.cli.context import done, fail, refusals, settings
from domain.errors import InvalidInputError

report_app = typer.Typer(
    help="Reports from the published warehouse (Laporan Hasil Evaluasi Triwulan).",
    no_args_is_help=True,
)


def _as_of_warehouse(value: str) -> Path:
    """The as-of build to read: a file `monev refresh --as-of` wrote, or one built now.

    A value that names an existing file is read as it is. Anything else is the cut-off that
    `monev refresh --as-of` takes, and the build is made from the event store first (into a
    separate file, never the published one).
    """
    candidate = Path(value).expanduser()
    if candidate.is_file():
        return candidate
    from apps import refresh as refreshing
    from apps.cli.warehouse import _as_of

    with refusals():
        result = refreshing.refresh(settings(), as_of=_as_of(value), progress=True)
    return result.published


def rakor(
    quarter: Annotated[str, typer.Argument(help="The quarter, e.g. 2017-Q2 (or II/2017).")],
    file_format: Annotated[
        str, typer.Option("--format", "-f", help="pdf (to read) or docx (to finish and sign).")
    ] = "pdf",
    as_of: Annotated[
        str | None,
        typer.Option(
            help="Report from an as-of build: its file, or the cut-off `monev refresh --as-of` "
            "takes (the build is made first)."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Where to write it (default: laporan-rakor-QUARTER.pdf in ./)."
        ),
    ] = None,
) -> None:
    """Laporan Hasil Evaluasi Triwulan for the rakor, from the published warehouse.

    Example: monev report rakor 2017-Q2   |   monev report rakor 2017-Q2 --format docx
    """
    from apps.report import FORMATS, make_report
    from domain.quarters import Quarter

    kind = file_format.strip().lower()
    if kind not in FORMATS:
        raise fail("'{kind}' is not a report format: choose pdf or docx.", kind=file_format)
    try:
        code = Quarter.parse(quarter).code
    except InvalidInputError as error:
        raise fail(error) from None
    warehouse = _as_of_warehouse(as_of) if as_of else settings().warehouse_path
    with refusals():
        name, content = make_report(warehouse, code, kind)  # type: ignore[arg-type]
    path = output or Path(name)
    try:
        path.write_bytes(content)
    except OSError as error:
        raise fail(
            "Cannot write {path}: {reason}.", path=str(path), reason=error.strerror
        ) from None
    done(
        "Rakor report {quarter} ({kind}) written to {path}.",
        quarter=code,
        kind=kind.upper(),
        path=str(path),
    )


report_app.command("rakor")(rakor)
