# Kompeten: `make run` serves the platform with demo data; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
export FLASK_APP := wsgi
PYTEST_ARGS ?=

.PHONY: lock run test lint test-sqlite test-postgres test-browser bench fuzz translations system-deps system-deps-test clean

# Every package comes from requirements.lock, pinned with hashes; `make lock` refreshes it.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# Re-resolve requirements.lock from pyproject.toml, keeping every pin that still fits;
# `make lock UPGRADE=1` moves every package to its newest release allowed by pyproject.toml.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
	  --python-version 3.11 --no-header -q $(if $(UPGRADE),--upgrade) -o requirements.lock

system-deps:
	@bash scripts/system-deps.sh runtime

system-deps-test:
	@bash scripts/system-deps.sh test

translations: $(STAMP)
	@$(BIN)/flask compile-translations

run: system-deps $(STAMP) translations
	@mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@echo "Serving Kompeten on http://127.0.0.1:5000 (Ctrl+C to stop)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-sqlite: $(STAMP) translations
	@echo "== pytest on SQLite"
	env -u TEST_DATABASE_URL $(BIN)/pytest -m "not browser" -q --cov --cov-report= $(PYTEST_ARGS)
	@echo "== branch coverage of app/ (SQLite pass): $$($(BIN)/coverage report --format=total)%"
	@$(BIN)/coverage report --skip-covered --sort=cover --skip-empty | sed -n 1,14p

test-postgres: $(STAMP) translations
	@url=$$(bash scripts/postgres-url.sh); \
	if [ -z "$$url" ]; then \
	  echo "== SKIPPED pytest on PostgreSQL: no server answers at 127.0.0.1:5432 (set TEST_DATABASE_URL_PG)"; \
	  if [ -n "$$CI" ]; then echo "CI needs PostgreSQL" >&2; exit 1; fi; \
	else \
	  echo "== pytest on PostgreSQL ($$url)"; \
	  TEST_DATABASE_URL=$$url $(BIN)/pytest -m "not browser" -q $(PYTEST_ARGS); \
	fi

test-browser: system-deps-test $(STAMP) translations
	@echo "== browser journeys (Playwright, Debian Chromium)"
	env -u TEST_DATABASE_URL $(BIN)/pytest -m browser -q $(PYTEST_ARGS)

test: system-deps-test lint test-sqlite test-postgres test-browser

bench: system-deps-test $(STAMP) translations
	$(BIN)/python -m bench

# Before a release: schemathesis over the whole API, 200 examples per operation, each sent
# anonymously and as every role (the suite runs 3). FUZZ_MAX_EXAMPLES=... to change it.
fuzz: $(STAMP) translations
	FUZZ_MAX_EXAMPLES=$${FUZZ_MAX_EXAMPLES:-200} $(BIN)/pytest tests/test_fuzz_api.py -q -p no:randomly $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance/kompeten.db
