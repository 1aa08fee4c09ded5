# Compact: `make run` serves the demo on SQLite; `make test` runs every test.
# Both install what they need (virtualenv, pinned Python packages, npm packages, assets).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 2
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test test-fast bench install assets migrate demo lint format clean browser

$(BIN)/.installed: requirements.txt requirements-dev.txt requirements-embeddings.txt scripts/ensure-system-packages.sh
	bash scripts/ensure-system-packages.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@# The optional language model for theme suggestions (CPU torch; see the file's notes).
	$(BIN)/pip install --quiet -r requirements-embeddings.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

compact/static/build/main.css: node_modules/.installed scripts/build-assets.mjs $(wildcard compact/static/src/scss/*.scss)
	node scripts/build-assets.mjs

install: $(BIN)/.installed node_modules/.installed
assets: compact/static/build/main.css

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

## Serve Compact with demo data on http://$(HOST):$(PORT) (PORT=8001 make run to change it).
run: install assets demo
	@$(BIN)/python manage.py demo_banner --url http://$(HOST):$(PORT)/
	@# The task worker (emails, reminders) runs beside the server and stops with it.
	@$(BIN)/python manage.py db_worker --interval 2 --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; \
	$(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --lifespan off

## Every test: unit, view, property-based and browser (Playwright + axe-core) tests.
test: install assets browser
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -n $(WORKERS) --dist loadgroup $(PYTEST_ARGS)

## The same without the browser journeys.
test-fast: install assets
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -n $(WORKERS) -m "not e2e" $(PYTEST_ARGS)

## Debian's Chromium for the browser tests (Playwright never downloads its own).
browser:
	@bash scripts/ensure-chromium.sh

## Benchmarks: writes bench/results/latest.json and prints a table. ONLY=core runs one app.
bench: install assets
	DJANGO_SETTINGS_MODULE=config.settings.bench $(BIN)/python -m bench $(if $(ONLY),--only $(ONLY),)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules compact/static/build staticfiles compact.sqlite3*
