"""`python -m benchmarks NAME` rewrites only its own sections of docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path

from benchmarks.report import Report, write


def test_a_run_replaces_its_own_sections_and_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    first = Report()
    first.add("Write side", "commands", 1000.0, "commands/s")
    first.add("Dashboard pages", "Ringkasan", 9.0, "s", "< 2 s", False)
    write(first, path)

    second = Report()
    second.add("Dashboard pages", "Ringkasan", 1.5, "s", "< 2 s", True)
    second.add("Read side", "refresh", 50000.0, "events/s")
    write(second, path)

    text = path.read_text("utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Write side", "## Dashboard pages", "## Read side"]
    assert "| commands | 1,000.00 commands/s |" in text
    assert "| Ringkasan | 1.50 s | < 2 s | yes |" in text
    assert "9.00 s" not in text
    assert text.count("# Benchmarks") == 1
