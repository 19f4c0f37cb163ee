# Every target sets up what it needs: a fresh clone only needs `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PORT ?= 5000
export FLASK_APP := app

.PHONY: install run test check browser lint audit format bench e2e clean

$(INSTALLED): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(INSTALLED)

install: $(INSTALLED)

## Migrate (DATABASE_URL or instance/casting.db), load demo data, print tokens, serve.
run: $(INSTALLED)
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data
	$(BIN)/flask tokens --port $(PORT)
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) 'app:create_app()'

# Branch coverage of the PostgreSQL run, where every test runs (the postgres-marked ones
# too), rounded down to a whole number: raise it when coverage rises, never lower it.
COVERAGE_FLOOR := 95

# The SQLite run spreads tests over one process per core (pytest-xdist): every test has
# its own in-memory database, so they share nothing. The PostgreSQL run stays in one
# process: its tests share one database, emptied between tests.
SQLITE_WORKERS := -n auto --dist worksteal

## The whole suite on SQLite, then again on PostgreSQL when TEST_DATABASE_URL is set;
## that run prints branch coverage and fails below COVERAGE_FLOOR. Slow tests included,
## so `make browser` runs first; where Chromium cannot be installed the browser test
## fails and says what to run.
test: $(INSTALLED) browser
	env -u TEST_DATABASE_URL $(BIN)/pytest $(SQLITE_WORKERS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "--- again on PostgreSQL, with branch coverage ---"; \
		$(BIN)/pytest --cov=. --cov-branch --cov-fail-under=$(COVERAGE_FLOOR); \
	else \
		echo "TEST_DATABASE_URL is not set: PostgreSQL run skipped."; \
	fi

## 100k actors in PostgreSQL, gunicorn, wrk: prints a table, writes bench/results.json.
bench: $(INSTALLED)
	bash bench/run.sh

## The Postman collection (postman/), run by newman against gunicorn on PostgreSQL.
e2e: $(INSTALLED)
	bash scripts/e2e.sh

## The quick loop before a commit: lint, types, and the suite on SQLite without the
## tests marked slow (fuzzing, the browser).
check: lint
	env -u TEST_DATABASE_URL $(BIN)/pytest $(SQLITE_WORKERS) -m "not slow"

## Debian's chromium and chromium-driver for tests/test_docs_browser.py, if missing.
browser:
	bash scripts/ensure-chromium.sh

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

## pip-audit of requirements.txt; accepted advisories: scripts/accepted-advisories.txt.
audit: $(INSTALLED)
	bash scripts/audit.sh

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
