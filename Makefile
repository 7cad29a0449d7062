# Clausier — the two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-requirements
HOST ?= 127.0.0.1
PORT ?= 8000

PHONY: run install migrate demo test test-dates quality format worker screenshots accessibility clean bench load

run: migrate demo
	@echo ""
	@echo "Clausier : http://$(HOST):$(PORT)/"
	$(PY) manage.py runserver $(HOST):$(PORT)

$(STAMP): requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) est introuvable : installez Python 3.11 (ou PYTHON=python3 make …)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# The date-sensitive tests on the days that break calendars (tests/clock.py; README, « Tests »).
TEST_DATES ?= 2028-01-01 2028-01-31 2028-02-29 2028-06-30 2028-12-01 2028-12-31
TEST_DATES_PATHS ?= tests
# The browser journeys run once, on the suite's default day (`make test`); their dates are those of
# the demo, whose calendar has its own test (tests/test_demo_calendar.py) run on every day below.
TEST_DATES_MARKS ?= not e2e
test-dates: install
	@failed=""; for day in $(TEST_DATES); do \
	  echo "=== Suite au $$day ==="; \
	  CLAUSIER_TEST_TODAY=$$day $(PY) -m pytest -q -p no:cacheprovider -m "$(TEST_DATES_MARKS)" $(TEST_DATES_PATHS) $(PYTEST_ARGS) || failed="$$failed $$day"; \
	done; \
	if [ -n "$$failed" ]; then echo "Échecs aux dates :$$failed"; exit 1; fi

quality: install
	$(PY) -m ruff format --check .
	$(PY) -m ruff check .
	$(PY) -m djlint --lint templates
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .
	$(PY) -m djlint --reformat templates || true

worker: install
	$(VENV)/bin/celery -A config worker --beat --loglevel=info

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles private-test

screenshots: install
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest tests/e2e -q

# The axe-core audit of the browser tests, recorded for the accessibility statement (accessibility/data/axe-results.json).
accessibility: install
	DJANGO_ALLOW_ASYNC_UNSAFE=true A11Y_RECORD=1 $(PY) -m pytest tests/e2e/test_accessibility.py -q -p no:cacheprovider -k "violation"

# Timings on PostgreSQL with a real worker (never part of `make test`): bench/README.md.
BENCH_DATABASE_URL ?= postgres://root@127.0.0.1:5432/clausier_bench
BENCH_BROKER_URL ?= redis://127.0.0.1:6379/2
bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) CELERY_BROKER_URL=$(BENCH_BROKER_URL) $(PY) bench/run.py $(BENCH_ARGS)

# Bounded load test on loopback: gunicorn (production settings) driven by wrk; bench/README.md, « Charge ».
# Needs wrk (apt-get install -y wrk); e.g. LOAD_ARGS="--levels 4,16,32 --duration 30".
load: install
	$(PY) bench/load.py $(LOAD_ARGS)
