# limbsalvage — every target a developer or CI needs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := src/limbsalvage/web/static/vendor
ASSETS := node_modules/.copied

.PHONY: help install assets run test lint types unit bench lock clean

help: ## List the targets with what they do
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Front-end packages: pinned by package-lock.json, installed by npm ci, copied (never committed).
$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	touch $@

assets: $(ASSETS) ## Install the front-end packages (npm ci) and copy them to the static folder
	@echo "assets in $(VENDOR)"

install: $(STAMP) $(ASSETS) ## Create the virtualenv, install the pinned dependencies and assets
	@echo "installed into $(VENV)"

run: $(STAMP) $(ASSETS) ## Install, migrate the embedded database, serve on http://127.0.0.1:8000
	$(BIN)/limbsalvage serve --host 127.0.0.1 --port 8000

test: lint types unit ## Everything: lint, types, unit and CLI tests with coverage

lint: $(STAMP) ## ruff (lint and format check)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

types: $(STAMP) ## mypy --strict on src/
	$(BIN)/mypy

unit: $(STAMP) $(ASSETS) ## pytest with branch coverage; 100% floor on core/
	$(BIN)/pytest --cov --cov-report=term --cov-report=json:.coverage.json -p no:cacheprovider
	$(BIN)/python tools/check_core_coverage.py .coverage.json

bench: $(STAMP) ## Benchmarks (figures go to docs/benchmarks.md)
	$(BIN)/python bench/bench_wifi_batch.py
	$(BIN)/python bench/bench_web.py

lock: ## Re-pin requirements/*.txt from requirements/*.in
	cd requirements && for f in main dev; do ../$(BIN)/pip-compile -q --strip-extras \
	  --no-emit-index-url --no-emit-find-links $$f.in -o $$f.txt; done

clean: ## Remove the virtualenv and caches
	rm -rf $(VENV) node_modules $(VENDOR) test-output .mypy_cache .ruff_cache .pytest_cache .hypothesis .coverage .coverage.json
