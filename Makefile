# The README names these targets; `make run` and `make test` are the two-command contract.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

STAMP := $(VENV)/.installed

.PHONY: run test lint format install migrate load-data check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(MANAGE) migrate --no-input

# Loads the fixtures only into a database that has no content yet: never over what staff edited since.
load-data: migrate
	$(MANAGE) load_initial_data

run: load-data
	$(MANAGE) runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=seoul_diplomacy.settings.test $(MANAGE) check

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: lint test

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
