"""`python -m benchmarks [name …]`: runs the benchmark modules and writes docs/benchmarks.md.

A module is any benchmarks/<name>.py with a `run(report: Report) -> None`; naming some runs
only those (their sections replace the same sections in the written file only in this run).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from benchmarks.report import Report, write

MODULES = (
    "write_side",
    "read_side",
    "refresh_demo",
    "dbt_build",
    "import_rows",
    "dashboard_pages",
    "rakor_report",
    "fingerprint",
)
OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def main(names: list[str]) -> int:
    report = Report()
    for name in names or MODULES:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as error:
            print(f"[{name}] not available: {error}")
            continue
        print(f"== {name}")
        module.run(report)
    write(report, OUTPUT)
    print(f"Figures written to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
