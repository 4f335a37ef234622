# The README's two commands are `make book` and `make test`; .ci/run calls `make test`.
# Both create .venv with Python 3.11 and install the pinned environment into it first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PROFILE ?= quick
# Which build of torch 2.13.0 set-up installs (see the README, "Set-up and torch"):
#   default  whatever pip's configuration finds first for torch==2.13.0 (on the book's
#            development machines a CPU wheel on disk; on a stock Linux machine PyPI's CUDA build)
#   cpu      the CPU build from download.pytorch.org/whl/cpu (no CUDA libraries at all)
#   cuda     the CUDA build from PyPI, plus the GPU extra (ONNX, TensorRT)
TORCH ?= default
LINTED := qpdm_lib tests benchmarks book
comma := ,

.PHONY: setup book test lint mutation clean clean-venv

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "QPDM Book needs Python 3.11, found " + sys.version.split()[0] + ": set PYTHON=/path/to/python3.11")'
	@case "$(TORCH)" in default|cpu|cuda) ;; *) echo "TORCH must be default, cpu or cuda, got '$(TORCH)'"; exit 2 ;; esac
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@if [ "$(TORCH)" = cpu ]; then \
	  echo "installing the CPU build of torch from download.pytorch.org"; \
	  $(BIN)/python -m pip install --quiet torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu; \
	elif [ "$(TORCH)" = cuda ]; then \
	  echo "installing the CUDA build of torch from PyPI"; \
	  $(BIN)/python -m pip install --quiet torch==2.13.0 --index-url https://pypi.org/simple; \
	fi
	$(BIN)/python -m pip install --quiet -e ".[book,dev$(if $(filter cuda,$(TORCH)),$(comma)gpu)]"
	touch $@

setup: $(STAMP)

book: $(STAMP)
	$(BIN)/qpdm build --profile $(PROFILE)

test: lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

# mutation testing of the core modules (slow; not part of CI): prints the surviving mutants
mutation: $(STAMP)
	$(BIN)/mutmut run --max-children 2 || true
	$(BIN)/mutmut results

clean:
	rm -rf _build .pytest_cache mutants

clean-venv:
	rm -rf $(VENV)
