"""Rows to stdout as a rich table (for people), CSV or JSON (for scripts).

Column names are the stable, documented names of ``docs/cli.md``; a script reads them in CSV's
header or as JSON keys. Only the rows go to stdout: nothing else is printed with them, so
``monev activity list --format csv > kegiatan.csv`` is the whole file.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import Any

import typer


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


FORMAT_OPTION = typer.Option(
    "--format", "-f", help="table (for reading), csv or json (for scripts; stable column names)."
)

Row = Mapping[str, Any]


def plain(value: Any) -> Any:
    """A value as JSON and CSV carry it: dates in ISO form, tuples as lists, whole floats whole."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def cell(value: Any) -> str:
    """A value in one CSV or table cell: lists joined with ';', nothing for None."""
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def emit_rows(
    rows: Sequence[Row],
    columns: Sequence[str],
    fmt: Format,
    title: str = "",
    table_columns: Sequence[str] | None = None,
) -> None:
    """The rows in the format asked for, on stdout; a table shows ``table_columns`` if given
    (the ones a person reads on a terminal), CSV and JSON always every column."""
    if fmt is Format.json:
        typer.echo(
            json.dumps([{c: plain(r[c]) for c in columns} for r in rows], ensure_ascii=False)
        )
    elif fmt is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell(r[c]) for c in columns] for r in rows)
    else:
        from rich.console import Console
        from rich.table import Table

        shown = table_columns or columns
        table = Table(title=title or None)
        for index, column in enumerate(shown):  # the code, first, is never broken
            table.add_column(column, overflow="fold", no_wrap=index == 0)
        for row in rows:
            table.add_row(*(cell(row[c]) for c in shown))
        Console(soft_wrap=False).print(table)


def emit_record(record: Row, sections: Mapping[str, tuple[Sequence[Row], Sequence[str]]],
                fmt: Format, title: str) -> None:  # fmt: skip
    """One record's fields, then its sections (members, evaluations …), in the format asked for.

    JSON: one object, each section a list of objects under its name. CSV: ``section,field,value``
    rows (the record's own fields under section ``record``), so one file holds it all.
    """
    if fmt is Format.json:
        whole = {k: plain(v) for k, v in record.items()}
        for name, (rows, columns) in sections.items():
            whole[name] = [{c: plain(r[c]) for c in columns} for r in rows]
        typer.echo(json.dumps(whole, ensure_ascii=False))
    elif fmt is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["section", "item", "field", "value"])
        writer.writerows(["record", "", k, cell(v)] for k, v in record.items())
        for name, (rows, columns) in sections.items():
            for index, row in enumerate(rows, start=1):
                writer.writerows([name, index, c, cell(row[c])] for c in columns)
    else:
        from rich.console import Console
        from rich.table import Table

        console = Console(soft_wrap=False)
        fields = Table(title=title, show_header=False)
        fields.add_column("field", style="bold")
        fields.add_column("value", overflow="fold")
        for key, value in record.items():
            fields.add_row(key, cell(value))
        console.print(fields)
        for name, (rows, columns) in sections.items():
            table = Table(title=name)
            for column in columns:
                table.add_column(column, overflow="fold")
            for row in rows:
                table.add_row(*(cell(row[c]) for c in columns))
            console.print(table)
