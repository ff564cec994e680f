# One entry point for people and CI. Every target builds .venv itself.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test lint typecheck bench openapi clean venv lock assets chromium

# Every Python dependency, direct and indirect, comes from requirements.lock: exact versions, each file's
# hash required. The project itself is installed on top without dependencies and without build isolation
# (its build backend, setuptools, is in the lock too), so nothing is resolved on the day.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP)

# The console's static assets: GOV.UK Frontend (and axe-core for the tests) from the npm lock, with hashes.
ASSETS := gateway/console/static/govuk/govuk-frontend.min.css
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
$(ASSETS): node_modules/.package-lock.json $(STAMP)
	$(BIN)/python -m gateway.console.assets
assets: $(ASSETS)

# The browser tests drive Debian's Chromium (Playwright's own browser download cannot work here).
CHROMIUM := /usr/bin/chromium
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "The console tests need Debian's Chromium at $(CHROMIUM): run 'sudo apt-get install -y chromium'"; exit 1; fi; }

demo: $(STAMP) assets
	$(BIN)/gateway demo

lint: $(STAMP)
	$(BIN)/ruff check gateway tests bench
	$(BIN)/ruff format --check gateway tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# The API contract module keeps a recorder across its tests (every documented status must be seen), so it
# runs in one process of its own; everything else runs on two workers.
CONTRACT := tests/api/test_schemathesis.py

test: lint typecheck assets chromium
	$(BIN)/python -m pytest -n 2 -q --ignore=$(CONTRACT)
	$(BIN)/python -m pytest -q $(CONTRACT)

bench: $(STAMP)
	$(BIN)/python bench/ingest.py --marks 2000000 --json
	$(BIN)/python bench/policy.py --json
	$(BIN)/python bench/privacy.py --json
	$(BIN)/python bench/audit.py --json
	$(BIN)/python bench/api.py --json

openapi: $(STAMP)
	$(BIN)/gateway openapi --out openapi/openapi.json

# Refresh the lock after changing dependencies in pyproject.toml (newest versions that satisfy it).
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 \
		--quiet --upgrade -o requirements.lock

clean:
	rm -rf $(VENV) var/test-* node_modules gateway/console/static/govuk
