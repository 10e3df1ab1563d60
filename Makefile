# LOBIKU — PPID portal. `make run` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
# The first Python 3.11–3.13 that runs (a pyenv shim may exist without its version installed); PYTHON=… picks one.
PYTHON_CANDIDATES := python3.13 python3.12 python3.11 python3
PYTHON ?= $(shell for p in $(PYTHON_CANDIDATES); do \
	$$p -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' >/dev/null 2>&1 && { echo $$p; break; }; \
	done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench setup check migrate seed messages schema clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || test -n "$(PYTHON)" || { echo "Python 3.11, 3.12 or 3.13 is required: none of" \
	  "$(PYTHON_CANDIDATES) is one (set PYTHON=/path/to/python3.x)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) scripts/requirements.py --dev > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet -r $(VENV)/requirements.txt -c constraints.txt
	touch $(STAMP)

setup: $(STAMP)
	$(PY) scripts/check_system.py

# WeasyPrint's system libraries (Pango, HarfBuzz): says which Debian packages to install when they are missing.
check: $(STAMP)
	@$(PY) scripts/check_system.py

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_opd
	$(PY) manage.py seed_holidays
	$(PY) manage.py seed_demo

run: check seed
	$(PY) manage.py compilemessages --ignore=.venv >/dev/null 2>&1 || true
	$(PY) scripts/run_all.py

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	$(PY) -m bench $(BENCH_ARGS)

messages: $(STAMP)
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

schema: $(STAMP)
	$(PY) manage.py spectacular --validate --file openapi.yaml

clean:
	rm -rf $(VENV) db.sqlite3 celery-broker.sqlite3 celerybeat-schedule staticfiles
