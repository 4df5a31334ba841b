# Set-up and everyday commands. `make dashboard` and `make test` are the two README commands.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8866
SIZE ?= 10000
export COBRANCA_DB ?= $(CURDIR)/data/cobranca.duckdb

.PHONY: install dashboard test lint browser postgres bench demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/cobranca demo --if-empty

dashboard: demo
	$(BIN)/cobranca dashboard --host $(HOST) --port $(PORT)

browser:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null; then \
	  if command -v apt-get >/dev/null; then \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-l10n poppler-utils >/dev/null; \
	  else echo "instale o Chromium (/usr/bin/chromium) e o poppler-utils"; fi; \
	fi

postgres:
	@if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then \
	  if command -v apt-get >/dev/null; then \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq postgresql-15 >/dev/null; \
	  else echo "instale o PostgreSQL 15 (/usr/lib/postgresql/15/bin)"; fi; \
	fi

lint: install
	$(BIN)/ruff check cobranca tests benchmarks docs
	$(BIN)/lint-imports

test: install browser postgres lint
	$(BIN)/python -m pytest -q -n auto --dist loadfile

bench: install
	$(BIN)/python -m benchmarks --size $(SIZE)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
