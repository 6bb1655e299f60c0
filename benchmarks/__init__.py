"""Benchmarks: `make bench` runs every module's `run(report)` and writes docs/benchmarks.md."""
