# The two commands: `make run` (the main job) and `make test` (the whole suite).
# `make help` lists every target: a target is listed when its line ends in `## what it does`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: help install run test test-fast lint typecheck format clean schema chromium bench-tools

# The domain tests: engine, code grammar, clock and store, on SQLite, with no Meilisearch and no
# browser (about 30 s on 2 cores).
FAST_TESTS := tests/engine tests/test_codes.py tests/test_codes_wto.py tests/test_codes_data.py \
	tests/test_clock.py tests/test_store.py

help: ## List the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its dev tools (pinned)

# `make run SAMPLES=1` also loads the plan's sample records (marked as samples) for a demo.
run: install ## Start Meilisearch, migrate, ingest when empty and serve (SAMPLES=1 adds samples)
	$(BIN)/tieuchuan up $(if $(SAMPLES),--samples)

lint: install typecheck ## ruff check, ruff format --check and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The packages and settings are in pyproject.toml [tool.mypy], with the list of modules still to
# fix; a module off that list must stay clean.
typecheck: install ## mypy over catalog, ingest, search and api
	$(BIN)/mypy

format: install ## Reformat and apply ruff's safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Headless Chromium for the browser tests (tests/web): Debian's package, installed when missing.
chromium: ## Install headless Chromium for the browser tests when missing
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)

# wrk, the load generator of bench/bench_api.py and bench/bench_search.py: Debian's package,
# installed when missing.
bench-tools: ## Install wrk for the benchmarks when missing
	@test -x /usr/bin/wrk || (apt-get update && apt-get install -y wrk)

# The suite on SQLite, then again on PostgreSQL (required when CI=true).
test: install lint chromium ## The whole suite on SQLite, then on PostgreSQL when reachable
	$(BIN)/pytest
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== the suite again on PostgreSQL ($(PG_TEST_URL))"; \
		TIEUCHUAN_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest; \
	elif [ -n "$$CI" ]; then \
		echo "PostgreSQL is not reachable at $(PG_TEST_URL), and CI must test on it"; exit 1; \
	else \
		echo "PostgreSQL is not reachable at $(PG_TEST_URL): skipped the PostgreSQL run"; \
	fi

test-fast: install ## The domain tests only (engine, codes, clock, store) on SQLite, under a minute
	$(BIN)/pytest -q $(FAST_TESTS)

clean: ## Remove .venv, var/ and the tool caches
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache .hypothesis

# Pre-release: regenerate the single initial migration from catalog/models.py.
schema: install ## Regenerate the initial migration from catalog/models.py (pre-release only)
	rm -f catalog/migrations/versions/0001_catalog_schema.py var/schema-gen.db
	$(BIN)/python -c "from alembic import command; from catalog.migrate import alembic_config; \
		command.revision(alembic_config('sqlite:///var/schema-gen.db'), message='catalog schema', autogenerate=True, rev_id='0001')"
	rm -f var/schema-gen.db
	$(BIN)/ruff format catalog/migrations
	$(BIN)/ruff check --fix catalog/migrations
