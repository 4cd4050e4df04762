# make install | test | lint | format | run | clean. Everything runs from .venv, which `make install` creates.
#   make test PYTEST_ARGS="-k replay -x"      pass options to pytest
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test make test    the same tests on PostgreSQL
#   REQUIRE_SERVICES=1 REQUIRE_BROWSER=1 make test                    a missing Redis or Chromium fails (CI)

SHELL := /bin/bash
.DEFAULT_GOAL := test

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Newer than every requirements file once they are installed: `make install` is a no-op until one changes.
INSTALLED := $(VENV)/.installed
PYTEST_ARGS ?=
# The settings are a deployment's (DEBUG off, a key of its own required) unless told otherwise: on a laptop, every
# make target runs with DEBUG=1. Tests that need a deployment's settings set them for their own processes.
export DEBUG ?= 1

.PHONY: venv install test lint format run clean

venv install: $(INSTALLED)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The checks, then every test. Their configuration is in pyproject.toml: ruff, mypy (strict on the app; tests may
# leave out annotations), and the import contracts of the house (lint-imports, docs/architecture.md).
test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy results skating tests

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

run: install
	$(BIN)/python manage.py migrate
	$(BIN)/python manage.py demo

# Keeps .venv (slow to rebuild); removes what running and testing leave behind.
clean:
	rm -rf db.sqlite3 db.sqlite3-* test-db.sqlite3* demo.log artifacts staticfiles .pytest_cache .mypy_cache
