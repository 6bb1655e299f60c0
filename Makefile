# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export MONEV_HOME ?= $(CURDIR)/data
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export DO_NOT_TRACK := 1

.PHONY: run test bench docs lint venv system-deps clean

venv: $(STAMP)

# The venv is rebuilt when the pinned dependencies change.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

# The demo's kecamatan population (labelled demo values) fills the per-capita figures and the
# Williamson/Theil indices; set MONEV_DEMO_POPULATION=false to leave them empty.
run: export MONEV_DEMO_POPULATION ?= true
# The local demo only: reports readable without signing in on this laptop, and the dashboard
# says so on every page. A deployment never sets it (`monev doctor` flags it; docs/security.md).
run: export MONEV_DASHBOARD_PUBLIC_READ ?= 1
# A refresher keeps the marts fresh while the dashboard is served, so what is recorded on the
# Input page reaches the reports; it stops with the dashboard (Ctrl-C).
run: venv
	$(BIN)/monev demo --if-empty
	$(BIN)/monev refresh
	$(BIN)/monev refresh --watch & watcher=$$!; \
	trap 'kill -TERM $$watcher 2>/dev/null; wait $$watcher' EXIT; \
	$(BIN)/monev dashboard

# PostgreSQL 15 and Debian's Chromium for the integration and browser tests.
system-deps:
	bash scripts/system-deps.sh

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	cd dbt_project && MONEV_DUCKDB_PATH=:memory: ../$(BIN)/sqlfluff lint --processes 2 .

# The suite starts hundreds of Python processes (the CLI, servers, workers); with
# PYTHONDONTWRITEBYTECODE (set in some shells and CI images) each one compiled monev's modules
# again instead of reading their bytecode.
test: venv system-deps lint
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n 2 --dist loadgroup --durations=25

bench: venv
	$(BIN)/python -m benchmarks

# dbt's catalog is read from a copy of the published warehouse (never the file readers use);
# without one, the docs describe the models but show no column types or row counts.
DOCS_DB := dbt_project/target/docs.duckdb
docs: venv
	mkdir -p dbt_project/target
	rm -f $(DOCS_DB)
	if [ -f "$(MONEV_HOME)/warehouse.duckdb" ]; then cp "$(MONEV_HOME)/warehouse.duckdb" $(DOCS_DB); \
	else echo "No published warehouse in $(MONEV_HOME): run 'make run' or 'monev refresh' for a full catalog."; fi
	cd dbt_project && MONEV_DUCKDB_PATH=target/docs.duckdb ../$(BIN)/dbt docs generate --static --profiles-dir .
	@echo "Documentation: dbt_project/target/static_index.html (open it in a browser; works offline)"

clean:
	rm -rf $(VENV) dbt_project/target test-artifacts
