# Hearth: `make run` serves the portal with demo data; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi
# The suite runs once on SQLite and once on PostgreSQL (TEST_POSTGRES_URL; trust auth on loopback by default).
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test test-sqlite test-postgres deps assets migrate demo worker bench clean

$(BIN)/activate: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(BIN)/activate

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

static/dist/manifest.json: node_modules/.installed static/build.mjs $(wildcard static/css/*.scss static/js/*.js)
	npm run --silent build

deps: $(BIN)/activate node_modules/.installed
assets: static/dist/manifest.json

migrate: deps
	$(BIN)/flask migrate

demo: migrate
	$(BIN)/flask demo-data

run: deps assets demo
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

worker: deps
	$(BIN)/flask worker

test: test-sqlite test-postgres

test-sqlite: deps assets
	HEARTH_TEST_DB=sqlite $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: deps assets
	HEARTH_TEST_DB=$(TEST_POSTGRES_URL) $(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

bench: deps assets
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules static/dist var
