# SIKIM: everything a developer or CI runs. A newcomer needs two commands: `make run`, `make test`.
# `make help` lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV := .venv
PY := $(VENV)/bin/python
RUN_STAMP := $(VENV)/.installed-requirements
DEV_STAMP := $(VENV)/.installed-requirements-dev
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-k healthz"`.
PYTEST_ARGS ?=
# The throw-away PostgreSQL and Redis of `make test-scale` (see scripts/scale-services.sh).
SCALE_DATABASE_URL := postgres://sikim:sikim@127.0.0.1:54329/sikim
SCALE_REDIS_URL := redis://127.0.0.1:63799/0

.PHONY: help venv dev-venv run test test-scale lint messages lock bench clean

help:
	@echo "make run         start SIKIM at http://127.0.0.1:8000 with demo accounts (web server + task worker)"
	@echo "make test        the whole test suite on SQLite, browser tests included"
	@echo "make test-scale  the same suite on PostgreSQL + Redis (started and stopped on 127.0.0.1)"
	@echo "make lint        ruff, ruff format --check, mypy, makemigrations --check"
	@echo "make messages    update and compile the translations (locale/id, locale/en)"
	@echo "make lock        re-pin requirements.txt and requirements-dev.txt"
	@echo "make bench       run the benchmarks in bench/"
	@echo "make venv        the runtime virtualenv in .venv (dev-venv: plus test and lint tools)"
	@echo "make clean       remove the virtualenv, caches, collected static files and test databases"
	@echo "                 (keeps var/sikim.sqlite3, var/queue.sqlite3, var/media and var/secret_key)"

# --- Virtualenv -------------------------------------------------------------------------
# Python 3.12 or newer: $PYTHON if given, python3.12+ on PATH, pyenv's, or python3 if new enough.
$(PY):
	@py=""; \
	for candidate in "$${PYTHON:-}" python3.12 python3.13 python3.14 \
	    "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 python3; do \
	  [ -n "$$candidate" ] && command -v "$$candidate" >/dev/null 2>&1 || continue; \
	  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    py=$$(command -v "$$candidate"); break; \
	  fi; \
	done; \
	if [ -z "$$py" ]; then \
	  echo "SIKIM needs Python 3.12 or newer and none was found (tried python3.12, python3.13, python3.14," >&2; \
	  echo "pyenv's versions and python3). Install it (Ubuntu 24.04: apt-get install python3 python3-venv;" >&2; \
	  echo "Debian 12: pyenv or uv), or name it: make PYTHON=/path/to/python3.12 ..." >&2; \
	  exit 1; \
	fi; \
	echo "» creating $(VENV) with $$py ($$("$$py" -V 2>&1))"; \
	if ! "$$py" -m venv $(VENV) 2>/dev/null; then \
	  rm -rf $(VENV); \
	  scripts/install-system-deps.sh venv "$$py"; \
	  "$$py" -m venv $(VENV); \
	fi

# Reinstall only when a requirements file changed (the stamp files remember the last install).
$(RUN_STAMP): requirements.txt | $(PY)
	@echo "» installing requirements.txt into $(VENV)"
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	@echo "» installing requirements-dev.txt into $(VENV)"
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(RUN_STAMP)

venv: $(RUN_STAMP)

dev-venv: $(DEV_STAMP)

# --- Run --------------------------------------------------------------------------------
# Embedded: SQLite and the SQLite task queue under var/, DEBUG off, demo accounts.
run: venv
	@scripts/install-system-deps.sh run
	@SIKIM_ENV=$${SIKIM_ENV:-development} $(PY) scripts/run.py

# --- Tests ------------------------------------------------------------------------------
# pytest exits 5 when it collected no test: like every non-zero status, that fails the target.
test: dev-venv
	@scripts/install-system-deps.sh test
	$(VENV)/bin/pytest -n auto $(PYTEST_ARGS)

test-scale: dev-venv
	@scripts/install-system-deps.sh scale
	@trap 'scripts/scale-services.sh stop' EXIT; \
	scripts/scale-services.sh start; \
	echo "» pytest on PostgreSQL ($(SCALE_DATABASE_URL)) and Redis ($(SCALE_REDIS_URL))"; \
	DATABASE_URL=$(SCALE_DATABASE_URL) REDIS_URL=$(SCALE_REDIS_URL) $(VENV)/bin/pytest -n auto $(PYTEST_ARGS)

# Runs every check even when one fails, then fails if any did.
lint: dev-venv
	@scripts/install-system-deps.sh messages
	@status=0; \
	echo "» ruff check"; $(VENV)/bin/ruff check . || status=1; \
	echo "» ruff format --check"; $(VENV)/bin/ruff format --check . || status=1; \
	echo "» mypy"; $(VENV)/bin/mypy . || status=1; \
	echo "» makemigrations --check"; $(PY) manage.py makemigrations --check --dry-run || status=1; \
	echo "» translations"; $(PY) scripts/check_translations.py || status=1; \
	exit $$status

# --- Translations, dependencies, benchmarks ---------------------------------------------
messages: venv
	@scripts/install-system-deps.sh messages
	$(PY) manage.py makemessages -l id -l en --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'var/*'

# scripts/lock.sh builds throw-away virtualenvs with `python3`: make that the project's Python.
lock: $(PY)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" scripts/lock.sh

bench: dev-venv
	@scripts/install-system-deps.sh bench
	@shopt -s nullglob; benches=(bench/*.py bench/*.sh); \
	if [ $${#benches[@]} -eq 0 ]; then echo "No benchmarks in bench/ yet." >&2; exit 1; fi; \
	for bench in "$${benches[@]}"; do \
	  echo "» $$bench"; \
	  case $$bench in *.py) $(PY) "$$bench" ;; *) bash "$$bench" ;; esac; \
	done

clean:
	-@[ -x scripts/scale-services.sh ] && scripts/scale-services.sh stop >/dev/null 2>&1 || true
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache test-results var/static var/scale
	rm -rf var/test-databases var/test-*.sqlite3*
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
