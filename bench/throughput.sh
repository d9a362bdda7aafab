#!/usr/bin/env bash
# Throughput under load: wrk (Debian package `wrk`) against `make serve` on 127.0.0.1, 30 s and
# 50 connections per run, compared in the same run with a static file served by whitenoise (the ceiling
# on this machine). Requests per second, latency, and errors: non-2xx/3xx answers and socket errors
# (must be zero).
#
#   bash bench/throughput.sh                     # the benchmark database as bench/queries.py left it
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_seoul CASES=100000 bash bench/throughput.sh
#
# Settings: DURATION (30s), CONNECTIONS (50), THREADS (2), BIND (127.0.0.1:8100, so as not to collide
# with `make run` on 8000), REDIS_URL (redis://127.0.0.1:6379/0), CASES (100000: the database is topped
# up to that many cases first), MAKE (make). wrk runs on the same machine as the server and takes some
# of its CPU: the numbers are a floor.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
BIND=${BIND:-127.0.0.1:8100}
CASES=${CASES:-100000}
REDIS=${REDIS_URL:-redis://127.0.0.1:6379/0}
BENCH_DATABASE_URL=${BENCH_DATABASE_URL:-sqlite:///${TMPDIR:-/tmp}/seoul_diplomacy_bench.sqlite3}
PYTHON=.venv/bin/python
LOG=$(mktemp -t seoul-serve-XXXX.log)

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is missing: apt-get install -y curl" >&2; exit 1; }

export DJANGO_SECRET_KEY="bench-only-secret-key-not-for-any-real-site-0123456789abcdefghijklmnop"
export DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1"
export DJANGO_SITE_URL="http://127.0.0.1"
export DATABASE_URL="$BENCH_DATABASE_URL"
export REDIS_URL="$REDIS"
unset DATABASE_REPLICA_URL

echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Database: $BENCH_DATABASE_URL, $($PYTHON -m bench.queries --database-url "$BENCH_DATABASE_URL" --sizes "$CASES" --prepare-only 2>/dev/null | tail -1)"
echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per run, against make serve on $BIND"

SERVER=""
stop_server() {
  if [ -n "$SERVER" ]; then
    kill -TERM -- "-$SERVER" 2>/dev/null || true  # make, the gunicorn master and its workers: one group
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
  fi
}
trap stop_server EXIT

start_server() {  # $1: page cache seconds (0: off)
  DJANGO_PAGE_CACHE_SECONDS=$1 setsid ${MAKE:-make} serve BIND="$BIND" >"$LOG" 2>&1 &
  SERVER=$!
  for _ in $(seq 120); do
    if curl -fs -o /dev/null -H "Host: localhost" -H "X-Forwarded-Proto: https" "http://$BIND/healthz"; then
      return
    fi
    sleep 0.5
  done
  echo "make serve did not answer on $BIND; its log:" >&2
  cat "$LOG" >&2
  exit 1
}

RESULTS=()
run_wrk() {  # $1: label, $2: path
  local out rps p50 p99 non2xx socket load
  load=$(cut -d' ' -f1 /proc/loadavg)  # other work on the machine skews a run: shown beside it
  curl -fs -o /dev/null -H "Host: localhost" -H "X-Forwarded-Proto: https" "http://$BIND$2"  # warm, and fail early
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency \
    -H "Host: localhost" -H "X-Forwarded-Proto: https" "http://$BIND$2")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  socket=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
  RESULTS+=("$(printf '%-28s | %-36s | %10s | %8s | %8s | %11s | %13s | %4s' "$1" "$2" "$rps" "$p50" "$p99" "${non2xx:-0}" "${socket:-0}" "$load")")
  echo "  $1: $rps requests/s" >&2
}

echo "== page cache off" >&2
start_server 0  # after its collectstatic, the manifest names the fingerprinted file
STATIC=$($PYTHON -c "import json; print(json.load(open('staticfiles/staticfiles.json'))['paths']['css/site.css'])")
run_wrk "static file (whitenoise)" "/static/$STATIC"
run_wrk "home, page cache off" "/"
run_wrk "case list, page cache off" "/cases/"
stop_server

echo "== page cache on" >&2
start_server 600
run_wrk "home, page cache on" "/"
run_wrk "case list, page cache on" "/cases/"
run_wrk "static file, again" "/static/$STATIC"  # the ceiling once more, under the same conditions
stop_server

echo
printf '%-28s | %-36s | %10s | %8s | %8s | %11s | %13s | %s\n' "run" "path" "requests/s" "p50" "p99" "non-2xx/3xx" "socket errors" "load before"
printf '%s\n' "-----------------------------|--------------------------------------|------------|----------|----------|-------------|---------------|------------"
printf '%s\n' "${RESULTS[@]}"
errors=$(printf '%s\n' "${RESULTS[@]}" | awk -F'|' '{sum += $6 + $7} END {print sum + 0}')
echo
if [ "$errors" -ne 0 ]; then
  echo "ERRORS: $errors non-2xx/3xx answers or socket errors."
  exit 1
fi
echo "No errors: every answer was 2xx or 3xx, no socket errors."
