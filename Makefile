# Encompass: `make run` starts the service with demo data; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
RUN_ENV := DEBUG=$${DEBUG:-true}

.PHONY: install run test lint audit migrate seed worker clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,bench]"
	# pip leaves its build metadata beside the code; nothing but var/ is written here.
	rm -rf encompass.egg-info
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: install
	$(RUN_ENV) $(MANAGE) migrate --noinput

seed: migrate
	$(RUN_ENV) $(MANAGE) seed_demo

# Web on http://127.0.0.1:8000, plus a real Celery worker with beat embedded, on the
# broker configured (a folder under var/ unless CELERY_BROKER_URL is set).
run: seed
	@$(RUN_ENV) $(MANAGE) demo_signins
	@trap 'kill 0' INT TERM EXIT; \
	$(RUN_ENV) $(BIN)/celery -A encompass worker --beat --concurrency 2 --loglevel INFO \
		--schedule var/celerybeat-schedule & \
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .

# Security checks: bandit must find nothing of high severity; pip-audit must find no known
# vulnerability in the pinned dependencies (exceptions, if ever needed, are listed in README).
audit: install
	$(BIN)/bandit -q -r encompass matching schools incidents notifications police demo -x '*/migrations/*' --severity-level high
	mkdir -p var && $(BIN)/pip freeze --exclude-editable > var/requirements-audit.txt
	$(BIN)/pip-audit --progress-spinner off -r var/requirements-audit.txt

clean:
	rm -rf var staticfiles
