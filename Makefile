# Hearth: `make run` serves the portal with demo data (web, worker and scheduler); `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi
# The suite runs once on SQLite and once on PostgreSQL (trust auth on loopback by default; each run creates and
# drops its own throw-away database on this server).
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# Python writes each module's bytecode the first time it imports it, even where the environment says not to
# (PYTHONDONTWRITEBYTECODE): pip installs without compiling (below), so without this every process - each test
# worker, server, job worker and command the tests start - would compile every module it imports from source, about
# 1.7 s of CPU for the app's imports alone.
unexport PYTHONDONTWRITEBYTECODE
# pytest-xdist workers: each has its own database (SQLite file, or a throw-away PostgreSQL database) and live server.
TEST_WORKERS ?= 2

.PHONY: run test lint test-sqlite test-postgres check-postgres deps assets migrate demo worker bench clean

# --no-compile: Python compiles each module the first time it is imported instead of pip compiling every module of
# every package at install (a third of the install's time, mostly modules never imported).
$(BIN)/activate: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --no-compile --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(BIN)/activate

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

# build.mjs keeps only the CSS that templates, Python and scripts can use, so it reads those too.
static/dist/manifest.json: node_modules/.installed static/build.mjs $(wildcard static/css/*.scss static/js/*.js static/icons/*) \
		$(shell find templates portal -name '*.html' -o -name '*.py')
	npm run --silent build

deps: $(BIN)/activate node_modules/.installed
assets: static/dist/manifest.json

migrate: deps
	$(BIN)/flask migrate

demo: migrate
	$(BIN)/flask demo-data

# The Procfile's web server (gunicorn), job worker and scheduler, as production runs them; Ctrl-C stops all three.
# Links in emails point at this port unless BASE_URL says otherwise; opened at http://localhost:$(PORT) because
# passkeys need a host name (BASE_URL's host is their relying party).
# BASE_URL is exported to the demo's loading too (a target's variables reach its prerequisites): its emails link to
# the same port.
run: export BASE_URL ?= http://localhost:$(PORT)
run: deps assets demo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start --procfile Procfile --port $(PORT)

worker: deps
	$(BIN)/flask worker

# Both databases always run, so one report shows every failure; the target fails if either run did. (Side by side
# they took longer than one after the other on two cores, and the production-shaped tests' servers missed their
# start-up time.)
test: deps assets
	@status=0; \
	$(MAKE) --no-print-directory lint || status=1; \
	$(MAKE) --no-print-directory test-sqlite || status=1; \
	$(MAKE) --no-print-directory test-postgres || status=1; \
	exit $$status

lint: deps
	@echo "== ruff (lint and format check)"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-sqlite: deps assets
	@echo "== tests on SQLite (with browser tests)"
	HEARTH_TEST_DB=sqlite $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Browser tests and `one_database` tests (the demo, file formats: nothing the database changes) run once, on SQLite.
test-postgres: deps assets check-postgres
	@echo "== tests on PostgreSQL (without browser and one_database tests)"
	HEARTH_TEST_DB=$(TEST_POSTGRES_URL) $(BIN)/pytest -n $(TEST_WORKERS) -m "not browser and not one_database" $(PYTEST_ARGS)

check-postgres: $(BIN)/activate
	@$(BIN)/python -c "import sys, psycopg; u = sys.argv[1].replace('+psycopg', '', 1); psycopg.connect(u, connect_timeout=5).close()" \
		'$(TEST_POSTGRES_URL)' 2>/dev/null || { \
		echo "PostgreSQL is not reachable at $(TEST_POSTGRES_URL)."; \
		echo "Start it (bash .ci/run sets one up) or set TEST_POSTGRES_URL."; exit 1; }

bench: deps assets
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules static/dist var
