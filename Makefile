# dvscreen: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
MODEL := screening/artefacts/default.json
MODEL_INPUTS := $(wildcard screening/*.py screening/*/*.py screening/data/*.toml)

.PHONY: install run test lint services model bench clean

# The project's own bytecode, written at install as pip writes its packages': this environment
# sets PYTHONDONTWRITEBYTECODE, so without it every process compiles again every module of ours it
# imports (two thirds of a second of `dvscreen screen` on one notification, measured here).
# compileall rewrites only what changed; an edited module is read from source until then.
install: $(INSTALLED) $(MODEL)
	$(PY) -m compileall -q -j 0 api cli governance models screening workers dvscreen.py > /dev/null

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

# The default model, trained on seeded synthetic data; rebuilt when the screening code changes.
$(MODEL): $(INSTALLED) $(MODEL_INPUTS)
	$(VENV)/bin/dvscreen train --synthetic 6000 --seed 7 --output screening/artefacts/default

model: $(MODEL)

run: install
	$(VENV)/bin/dvscreen serve

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

services: $(INSTALLED)
	$(PY) tests/services.py

test: install lint services
	$(PY) -m pytest -q -p no:cacheprovider

bench: install
	$(PY) bench/screening.py

clean:
	rm -rf $(VENV) screening/artefacts var test-artifacts
