# Two commands on a fresh clone:  `make run`  and  `make test`.
# Both create .venv with python3 and install newsbeam with pinned dependencies first.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: setup
	$(BIN)/newsbeam run --config configs/local.yaml

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/run_bench.py --n 2000

clean:
	rm -rf out/ .pytest_cache
