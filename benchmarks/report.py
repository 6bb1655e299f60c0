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

    def markdown(self) -> str:
        lines = [
            "# Benchmarks",
            "",
            f"Measured by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, on {machine()}.",
            "Each section's figures come from one run on the same store.",
            "",
        ]
        for section, figures in self.sections.items():
            lines += [
                f"## {section}",
                "",
                "| measure | value | target | met |",
                "|---|---|---|---|",
            ]
            for f in figures:
                met = "" if f.met is None else ("yes" if f.met else "**no**")
                lines.append(f"| {f.label} | {f.value:,.2f} {f.unit} | {f.target} | {met} |")
            lines.append("")
        return "\n".join(lines)


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
    path.write_text(report.markdown(), "utf-8")
