# The README names these targets; `make run` and `make test` are the two-command contract.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint format install install-runtime lock migrate load-data check clean browser-deps screenshots messages

# pyproject.toml names what the project asks for; the locks in requirements/ pin everything installed
# with it, each file with its hashes: dev.txt (runtime + dev tools: make run, make test), runtime.txt
# (production: make serve, the Dockerfile), runtime-sentry.txt (production with the [sentry] extra).
# scripts/install.sh makes .venv match one lock exactly (uv pip sync, with uv pinned in requirements/uv.txt),
# so `make serve` leaves no test or lint tool in it and `make install` brings them back.
LOCK_DEV := requirements/dev.txt
RUNTIME_LOCK ?= requirements/runtime.txt
STAMP := $(VENV)/.installed-dev
RUNTIME_STAMP := $(VENV)/.installed-$(basename $(notdir $(RUNTIME_LOCK)))

# The dev environment is compiled to bytecode when installed (uv's UV_COMPILE_BYTECODE, what pip does by
# default): where Python may not write it itself (PYTHONDONTWRITEBYTECODE), every process of the test
# suite, each worker and subprocess, would otherwise compile Django again before it starts.
$(STAMP): pyproject.toml $(LOCK_DEV) requirements/uv.txt scripts/install.sh Makefile
	rm -f $(VENV)/.installed-*
	UV_COMPILE_BYTECODE=1 PYTHON=$(PYTHON) scripts/install.sh $(VENV) $(LOCK_DEV)
	touch $@

install: $(STAMP)

$(RUNTIME_STAMP): pyproject.toml $(RUNTIME_LOCK) requirements/uv.txt scripts/install.sh
	rm -f $(VENV)/.installed-*
	PYTHON=$(PYTHON) scripts/install.sh $(VENV) $(RUNTIME_LOCK)
	touch $@

install-runtime: $(RUNTIME_STAMP)

# Regenerates every lock from pyproject.toml after a dependency changed there (the one command:
# `make lock`). dev.txt first, then the runtime locks constrained to it, so that a package has one version
# in all of them. Pins already in a lock are kept unless pyproject.toml asks otherwise;
# `make lock UPGRADE=--upgrade` moves everything to the newest versions pyproject.toml allows.
UV := $(VENV)/.tools/bin/uv
LOCK_COMPILE = $(UV) pip compile --quiet --generate-hashes --python-version 3.11 --universal \
	--custom-compile-command "make lock" $(UPGRADE)

lock:
	PYTHON=$(PYTHON) scripts/install.sh $(VENV)
	$(LOCK_COMPILE) pyproject.toml --extra dev -o $(LOCK_DEV)
	$(LOCK_COMPILE) pyproject.toml -c $(LOCK_DEV) -o requirements/runtime.txt
	$(LOCK_COMPILE) pyproject.toml --extra sentry -c $(LOCK_DEV) -o requirements/runtime-sentry.txt
	$(LOCK_COMPILE) requirements/uv.in -o requirements/uv.txt

# The Korean interface: compiled from the catalogue kept in the repo (the .mo is not committed), by
# msgfmt with the format checks Django's compilemessages runs; make run, make test, make serve and the
# Dockerfile all compile it this way.
PO := locale/ko/LC_MESSAGES/django.po
MO := locale/ko/LC_MESSAGES/django.mo
$(MO): $(PO)
	@command -v msgfmt >/dev/null || { echo "Installing GNU gettext (msgfmt) to compile the Korean catalogue"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }
	msgfmt --check-format -o $@ $<

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

# Python keeps the bytecode of the project's own modules, and pytest its rewritten test modules, in
# __pycache__/ (ignored by git) even where PYTHONDONTWRITEBYTECODE is set: otherwise every process of the
# suite (each worker, each command a test starts) compiles them again on every run. Two workers (both cores
# are busy with two); --dist worksteal lets an idle worker take tests another was handed but has not started,
# so the browser tests at the end do not all run on one worker while the other waits (bench/README.md).
test: install browser-deps $(MO)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 2 --dist worksteal $(PYTEST_ARGS)

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
	rm -rf $(VENV) staticfiles .staticfiles db.sqlite3 .test-databases

# Production mode: gunicorn under the production settings, static files compressed and fingerprinted by
# collectstatic and served by whitenoise. Needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DJANGO_SITE_URL, and
# in real use DATABASE_URL (PostgreSQL) and REDIS_URL; see docs/deployment.md. .venv gets the runtime lock
# only (RUNTIME_LOCK=requirements/runtime-sentry.txt for Sentry) and the Korean catalogue is compiled;
# scripts/serve.sh (also the container's command) then collects the static files, safely even when two
# start at once (scripts/collectstatic.py), and starts gunicorn: BIND, WORKERS (2 x cores + 1 sync
# workers), gunicorn's access log on standard output.
BIND ?= 127.0.0.1:8000
WORKERS ?=
PRODUCTION := DJANGO_SETTINGS_MODULE=seoul_diplomacy.settings.production

.PHONY: serve bench

serve: install-runtime $(MO)
	$(PRODUCTION) BIND=$(BIND) WORKERS=$(WORKERS) PATH="$(abspath $(BIN)):$$PATH" scripts/serve.sh

# The benchmarks of bench/README.md, on their own database (never db.sqlite3). For production-like
# numbers: make bench BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_seoul
BENCH_DATABASE_URL ?= sqlite:///$(shell $(PYTHON) -c "import tempfile; print(tempfile.gettempdir())")/seoul_diplomacy_bench.sqlite3

bench: install
	$(BIN)/python -m bench.queries --database-url $(BENCH_DATABASE_URL)
	$(BIN)/python -m bench.latency --database-url $(BENCH_DATABASE_URL)
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) bash bench/throughput.sh
