# The README's two commands are `make book` and `make test`; .ci/run calls `make test`.
# Both create .venv with Python 3.11 and install the pinned environment into it first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PROFILE ?= quick

.PHONY: setup book test lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "QPDM Book needs Python 3.11, found " + sys.version.split()[0] + ": set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch is pinned to its CPU build (2.13.0): no CUDA wheels are pulled on CPU machines
	$(BIN)/python -m pip install --quiet -e ".[book,dev]"
	touch $@

setup: $(STAMP)

book: $(STAMP)
	$(BIN)/qpdm build --profile $(PROFILE)

LINTED := qpdm_lib tests benchmarks book

test: lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

clean:
	rm -rf _build .pytest_cache
