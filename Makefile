# One entry for everything a developer and CI run. `make help` lists the targets.
VENV ?= .venv
PY := $(VENV)/bin/python
QA := $(VENV)/bin/qa
PYTHON ?= python3

.PHONY: help install run serve test unit eval lint bench clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed  ## create .venv and install newsqa with its test tools

run: install  ## load the bundled sample articles and start the chat UI on http://127.0.0.1:7860
	$(QA) ingest --samples
	$(QA) serve

test: install  ## the tests, then the eval gate (what CI runs)
	$(PY) -m pytest
	$(QA) eval

unit: install  ## the tests alone
	$(PY) -m pytest

eval: install  ## the eval suite on the bundled facts and articles; fails when a threshold is missed
	$(QA) eval

lint: install  ## ruff and mypy
	$(VENV)/bin/ruff check qa tests eval bench
	$(VENV)/bin/ruff format --check qa tests eval bench
	$(VENV)/bin/mypy qa

bench: install  ## the benchmarks (see bench/README.md)
	$(PY) -m bench

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
