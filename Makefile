# Set-up and everyday commands. The README and .ci/run call these targets.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test scan check lint format bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

## site: install what is needed, scan seeds/ into events/, build site/
site: $(STAMP)
	$(BIN)/timeline build

## test: install what is needed and run the whole test suite (slow tests included)
test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup

scan: $(STAMP)
	$(BIN)/timeline scan

check: $(STAMP)
	$(BIN)/timeline check

lint: $(STAMP)
	$(BIN)/ruff check builder tests
	$(BIN)/ruff format --check builder tests

format: $(STAMP)
	$(BIN)/ruff format builder tests
	$(BIN)/ruff check --fix builder tests

## bench: scan and site benchmarks, one table (benchmarks/results.json; docs/performance.md)
##        larger runs: make bench BENCH_ARGS='--corpus-mb 50 --site-sizes 1000,3000,10000 --profile'
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

clean:
	rm -rf site .pytest_cache
