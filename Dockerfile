# syntax=docker/dockerfile:1
# The production image: the same steps as `make serve` (tests/production/test_docker.py checks that they
# stay the same): the runtime lock installed by `make install-runtime` (scripts/install.sh: uv, hashes
# checked), the Korean catalogue compiled by `make messages`, the static files collected by
# scripts/collectstatic.py, and scripts/serve.sh as the command. Runtime packages only, run by a user
# that is not root and cannot write the code.
#
#   docker build -t seoul-diplomacy .
#   docker compose up        # with PostgreSQL and Redis: compose.yaml

# --- build: make, gettext and uv are needed here only ---------------------------------------------------
FROM python:3.11-slim-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends make gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# requirements/runtime-sentry.txt for error reports (SENTRY_DSN): docker build --build-arg RUNTIME_LOCK=...
ARG RUNTIME_LOCK=requirements/runtime.txt
# The locks first: the installed environment stays cached while only the code changes.
COPY Makefile pyproject.toml ./
COPY requirements/ requirements/
COPY scripts/install.sh scripts/
RUN UV_COMPILE_BYTECODE=1 make install-runtime RUNTIME_LOCK=$RUNTIME_LOCK && rm -rf .venv/.tools
COPY . .
RUN make messages
# collectstatic needs the production settings' variables; these stand-ins serve this step only.
RUN DJANGO_SETTINGS_MODULE=seoul_diplomacy.settings.production \
    DJANGO_SECRET_KEY=image-build-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
    DJANGO_ALLOWED_HOSTS=localhost DJANGO_SITE_URL=http://localhost \
    .venv/bin/python scripts/collectstatic.py

# --- runtime ---------------------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime
RUN useradd --system --uid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin seoul
WORKDIR /app
COPY --from=build /app /app
USER seoul
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=seoul_diplomacy.settings.production \
    BIND=0.0.0.0:8000 \
    COLLECTSTATIC=0
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': os.environ['DJANGO_ALLOWED_HOSTS'].split(',')[0], 'X-Forwarded-Proto': 'https'}), timeout=4)"]
CMD ["scripts/serve.sh"]
