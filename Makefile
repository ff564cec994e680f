# One entry point for people and CI. Every target builds .venv itself.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test lint typecheck bench openapi clean venv lock

# Every Python dependency, direct and indirect, comes from requirements.lock: exact versions, each file's
# hash required. The project itself is installed on top without dependencies and without build isolation
# (its build backend, setuptools, is in the lock too), so nothing is resolved on the day.
$(STAMP): requirements.lock requirements-opa.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	# OPA's own evaluator, the policies' reference semantics in the tests. Its wheel declares Python >= 3.14
	# but is a Go c-shared library driven through ctypes (standard library only) and runs on 3.11, hence
	# --ignore-requires-python for this one wheel, pinned by hash in its own lock.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
		--ignore-requires-python -r requirements-opa.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/gateway demo

lint: $(STAMP)
	$(BIN)/ruff check gateway tests bench
	$(BIN)/ruff format --check gateway tests bench
	$(BIN)/gateway policies lint

typecheck: $(STAMP)
	$(BIN)/mypy

# The API contract module keeps a recorder across its tests (every documented status must be seen), so it
# runs in one process of its own; everything else runs on two workers.
CONTRACT := tests/api/test_schemathesis.py

test: lint typecheck
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
	rm -rf $(VENV) var/test-*
