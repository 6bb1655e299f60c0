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

run: venv
	$(BIN)/monev demo --if-empty
	$(BIN)/monev refresh
	$(BIN)/monev dashboard

# PostgreSQL 15 and Debian's Chromium for the integration and browser tests.
system-deps:
	bash scripts/system-deps.sh

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	cd dbt_project && MONEV_DUCKDB_PATH=:memory: ../$(BIN)/sqlfluff lint --processes 2 .

test: venv system-deps lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup

bench: venv
	$(BIN)/python -m benchmarks

docs: venv
	cd dbt_project && ../$(BIN)/dbt docs generate --static --profiles-dir .

clean:
	rm -rf $(VENV) dbt_project/target test-artifacts
