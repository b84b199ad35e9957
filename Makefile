# atelier — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
OUT ?= data/processed

export PREFECT_SERVER_ANALYTICS_ENABLED ?= false

.PHONY: install demo test samples bench clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED)

demo: install
	$(BIN)/atelier run data/raw --out $(OUT)

test: install
	$(BIN)/python -m pytest

samples: install
	$(BIN)/python -m samples.render

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
