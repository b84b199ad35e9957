# atelier — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
OUT ?= data/processed

export PREFECT_SERVER_ANALYTICS_ENABLED ?= false

.PHONY: install tesseract demo test samples bench clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: tesseract $(INSTALLED)

# OCR of scanned PDFs: Tesseract and its French data, from apt on Debian when `tesseract` is missing.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
tesseract:
	@if ! command -v tesseract >/dev/null 2>&1; then \
		if command -v apt-get >/dev/null 2>&1; then \
			echo "Installation de Tesseract (OCR, français) avec apt-get..."; \
			$(SUDO) apt-get update -qq >/dev/null && \
			DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq tesseract-ocr tesseract-ocr-fra >/dev/null; \
		else \
			echo "Tesseract absent et apt-get indisponible : installer tesseract et sa langue fra à la main (pages numérisées non lues)."; \
		fi; \
	elif ! tesseract --list-langs 2>/dev/null | grep -qx fra; then \
		echo "Tesseract sans la langue fra : installer tesseract-ocr-fra (pages numérisées non lues)."; \
	fi

demo: install
	$(BIN)/atelier run data/raw --out $(OUT)

# The suite in TEST_WORKERS processes (pytest-xdist): 763 tests in 336 s on 2 cores, 630 s in one.
TEST_WORKERS ?= 2
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

samples: install
	$(BIN)/python -m samples.render

bench: install
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
