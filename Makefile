# The two commands: `make run` (the main job) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: install run test lint format clean schema chromium bench-tools

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# `make run SAMPLES=1` also loads the plan's sample records (marked as samples) for a demo.
run: install
	$(BIN)/tieuchuan up $(if $(SAMPLES),--samples)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Headless Chromium for the browser tests (tests/web): Debian's package, installed when missing.
chromium:
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)

# wrk, the load generator of bench/bench_api.py and bench/bench_search.py: Debian's package,
# installed when missing.
bench-tools:
	@test -x /usr/bin/wrk || (apt-get update && apt-get install -y wrk)

# The suite on SQLite, then again on PostgreSQL (required when CI=true).
test: install lint chromium
	$(BIN)/pytest
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== the suite again on PostgreSQL ($(PG_TEST_URL))"; \
		TIEUCHUAN_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest; \
	elif [ -n "$$CI" ]; then \
		echo "PostgreSQL is not reachable at $(PG_TEST_URL), and CI must test on it"; exit 1; \
	else \
		echo "PostgreSQL is not reachable at $(PG_TEST_URL): skipped the PostgreSQL run"; \
	fi

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis

# Pre-release: regenerate the single initial migration from catalog/models.py.
schema: install
	rm -f catalog/migrations/versions/0001_catalog_schema.py var/schema-gen.db
	$(BIN)/python -c "from alembic import command; from catalog.migrate import alembic_config; \
		command.revision(alembic_config('sqlite:///var/schema-gen.db'), message='catalog schema', autogenerate=True, rev_id='0001')"
	rm -f var/schema-gen.db
	$(BIN)/ruff format catalog/migrations
	$(BIN)/ruff check --fix catalog/migrations
