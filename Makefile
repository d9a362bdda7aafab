# The README names these targets; `make run` and `make test` are the two-command contract.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

STAMP := $(VENV)/.installed

.PHONY: run test lint format install migrate load-data check clean browser-deps screenshots messages

# pyproject.toml pins what the project asks for; requirements.lock pins everything installed with it.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# The Korean interface: compiled from the catalogue kept in the repo (the .mo is not committed).
MO := locale/ko/LC_MESSAGES/django.mo
$(MO): locale/ko/LC_MESSAGES/django.po | $(STAMP)
	@command -v msgfmt >/dev/null || { echo "Installing GNU gettext (msgfmt) to compile the Korean catalogue"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }
	$(MANAGE) compilemessages -l ko --ignore=.venv --ignore=node_modules -v0

messages: $(MO)

migrate: install $(MO)
	$(MANAGE) migrate --no-input

# Loads the fixtures only into a database that has no content yet: never over what staff edited since.
load-data: migrate
	$(MANAGE) load_initial_data

run: load-data
	$(MANAGE) runserver 127.0.0.1:8000

# What the browser tests need that pip cannot install: Debian's Chromium (needs root, as on the
# project's machines and CI) and the npm tools (axe-core, the Nu HTML Checker; Java runs the latter).
browser-deps: node_modules/.package-lock.json
	@command -v chromium >/dev/null || { echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v java >/dev/null || { echo "Installing a Java runtime for the Nu HTML Checker"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

test: install browser-deps $(MO)
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# Regenerates docs/screenshots/ (the README's pictures) from the browser tests' set-up.
screenshots: install browser-deps
	scripts/screenshots.sh

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

# Production mode: gunicorn under the production settings, static files compressed and fingerprinted by
# collectstatic and served by whitenoise. Needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DJANGO_SITE_URL, and in real
# use DATABASE_URL (PostgreSQL) and REDIS_URL; see docs/deployment.md. 2 x cores + 1 sync workers.
BIND ?= 127.0.0.1:8000
WORKERS ?= $(shell $(PYTHON) -c "import os; print(2 * os.cpu_count() + 1)")
PRODUCTION := DJANGO_SETTINGS_MODULE=seoul_diplomacy.settings.production
# gunicorn's access log (to standard output): its usual fields, the time taken in microseconds, then the
# request id the app sent back (seoul_diplomacy/observability.py), to find a request's log lines.
ACCESS_LOG_FORMAT := %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s %({x-request-id}o)s

.PHONY: serve bench

serve: install
	$(PRODUCTION) $(MANAGE) collectstatic --no-input --verbosity 0
	$(PRODUCTION) $(BIN)/gunicorn seoul_diplomacy.wsgi --no-control-socket --workers $(WORKERS) --bind $(BIND) \
		--access-logfile - --access-logformat '$(ACCESS_LOG_FORMAT)'

# The benchmarks of bench/README.md, on their own database (never db.sqlite3). For production-like
# numbers: make bench BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_seoul
BENCH_DATABASE_URL ?= sqlite:///$(shell $(PYTHON) -c "import tempfile; print(tempfile.gettempdir())")/seoul_diplomacy_bench.sqlite3

bench: install
	$(BIN)/python -m bench.queries --database-url $(BENCH_DATABASE_URL)
	$(BIN)/python -m bench.latency --database-url $(BENCH_DATABASE_URL)
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) bash bench/throughput.sh
