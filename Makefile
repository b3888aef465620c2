# Encompass: `make run` starts the service with demo data; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
RUN_ENV := DEBUG=$${DEBUG:-true}

.PHONY: install run test lint migrate seed worker clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
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

clean:
	rm -rf var staticfiles
