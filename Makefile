# Advocacy — the two set-up commands are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never

.PHONY: demo test test-data test-deps venv lint typecheck pytest bench clean

$(BIN)/advocacy: pyproject.toml requirements.lock
	@command -v uv >/dev/null || $(PYTHON) -m pip install --quiet uv
	uv venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	uv pip install --quiet --python $(BIN)/python -r requirements.lock
	uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

venv: $(BIN)/advocacy

## The test environment adds the optional transformer backend (torch, transformers: about 5 GB).
$(VENV)/.test-deps: $(BIN)/advocacy requirements-test.lock
	uv pip install --quiet --python $(BIN)/python -r requirements-test.lock
	@touch $@

test-deps: $(VENV)/.test-deps

## Build the demo company into advocacy.sqlite, print the tour and the log-ins, and serve the
## web app at http://127.0.0.1:8000 (Ctrl+C stops it; `advocacy serve` starts it again).
demo: venv
	$(BIN)/advocacy demo --replace --serve

## The published CDNOW data of the CLV golden tests ships inside the lifetimes 0.11.3 wheel.
## The wheel is downloaded once and read as a zip, never installed (lifetimes needs pandas<3).
TEST_DATA := .cache/test-data
LIFETIMES_WHEEL := $(TEST_DATA)/Lifetimes-0.11.3-py3-none-any.whl

test-data: $(LIFETIMES_WHEEL)

$(LIFETIMES_WHEEL):
	python3 -m pip download --quiet --no-deps --only-binary=:all: lifetimes==0.11.3 -d $(TEST_DATA)

## Lint, type-check and run the whole suite on SQLite and a throwaway PostgreSQL.
test: test-deps test-data
	bash scripts/ensure-system-packages.sh
	$(BIN)/ruff check src tests bench training
	$(BIN)/ruff format --check src tests bench training
	$(BIN)/mypy
	bash scripts/with-postgres.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check src tests bench training
	$(BIN)/mypy

pytest: test-deps
	bash scripts/with-postgres.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

## Benchmarks: importing 1,000,000 reviews and NPS/churn against pandas; the CLV models against
## lifetimes; text analysis quality (on ../shared/data/eval) and speed; the web app under load (the
## dashboard and inbox, and 10,000 public survey answers).
bench: test-deps
	$(BIN)/python bench/import_reviews.py --markdown
	$(BIN)/python bench/metrics.py --markdown
	$(BIN)/python bench/clv.py --markdown
	$(BIN)/python bench/text_quality.py --markdown
	$(BIN)/python bench/text_speed.py --markdown
	$(BIN)/python bench/transformer_speed.py --markdown
	bash scripts/with-postgres.sh $(BIN)/python bench/web_load.py --markdown
	bash scripts/with-postgres.sh $(BIN)/python bench/survey_load.py --markdown

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
