#!/bin/sh
# Production mode, as `make serve` runs it (after installing the runtime lock and compiling the Korean
# catalogue) and as the container starts (Dockerfile CMD): the static files collected, then gunicorn.
#
# Environment: the production settings' variables (docs/deployment.md); BIND (127.0.0.1:8000); WORKERS
# (2 x cores + 1 sync workers); COLLECTSTATIC=0 skips collecting (the image collected them when built);
# GUNICORN_CMD_ARGS for any other gunicorn option. `python` and `gunicorn` are the environment's on PATH.
set -eu
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-seoul_diplomacy.settings.production}"
BIND=${BIND:-127.0.0.1:8000}
WORKERS=${WORKERS:-$((2 * $(nproc) + 1))}
# gunicorn's access log (to standard output): its usual fields, the time taken in microseconds, then the
# request id the app sent back (seoul_diplomacy/observability.py), to find a request's log lines.
ACCESS_LOG_FORMAT='%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s %({x-request-id}o)s'

if [ "${COLLECTSTATIC:-1}" != 0 ]; then
  python scripts/collectstatic.py
fi
# The control socket gunicorn 27 opens by default is off.
exec gunicorn seoul_diplomacy.wsgi --no-control-socket --workers "$WORKERS" --bind "$BIND" \
  --access-logfile - --access-logformat "$ACCESS_LOG_FORMAT"
