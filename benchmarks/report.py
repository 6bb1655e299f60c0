"""Collects figures from the benchmark modules and writes them where people read them."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path


@dataclass
class Figure:
    label: str
    value: float
    unit: str
    target: str = ""
    met: bool | None = None


@dataclass
class Report:
    sections: dict[str, list[Figure]] = field(default_factory=dict)

    def add(
        self,
        section: str,
        label: str,
        value: float,
        unit: str,
        target: str = "",
        met: bool | None = None,
    ) -> None:
        self.sections.setdefault(section, []).append(Figure(label, value, unit, target, met))
        verdict = "" if met is None else (" ✓" if met else " ✗ below target")
        wanted = f" (target {target})" if target else ""
        print(f"[{section}] {label}: {value:,.2f} {unit}{wanted}{verdict}")

    def section_markdown(self, section: str) -> str:
        """One section: its heading, when and where it was measured, and its figures."""
        lines = [
            f"## {section}",
            "",
            f"Measured on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, on {machine()}.",
            "",
            "| measure | value | target | met |",
            "|---|---|---|---|",
        ]
        for f in self.sections[section]:
            met = "" if f.met is None else ("yes" if f.met else "**no**")
            lines.append(f"| {f.label} | {f.value:,.2f} {f.unit} | {f.target} | {met} |")
        return "\n".join(lines) + "\n"

    def markdown(self, previous: str = "") -> str:
        """The whole file: this run's sections replace the same sections of ``previous``.

        Sections of earlier runs are kept as they were (each says when it was measured), so
        running one module (``python -m benchmarks dashboard_pages``) rewrites only its own.
        """
        kept: dict[str, str] = {}
        for chunk in previous.split("\n## ")[1:]:
            title = chunk.split("\n", 1)[0].strip()
            kept[title] = "## " + chunk.rstrip("\n") + "\n"
        for section in self.sections:
            kept[section] = self.section_markdown(section)
        return "\n".join([HEADER, *kept.values()])


HEADER = """# Benchmarks

Written by `make bench`; `python -m benchmarks NAME…` rewrites only the sections of the modules
it runs. Each section's figures come from one run on the same store, measured when its first
line says.
"""


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = subprocess.run(
            ["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        cpu = model or cpu
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, Python {platform.python_version()}"
    )


def write(report: Report, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = path.read_text("utf-8") if path.exists() else ""
    path.write_text(report.markdown(previous), "utf-8")
