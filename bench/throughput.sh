#!/usr/bin/env bash
# Throughput under load: wrk (Debian package `wrk`) against `make serve` on 127.0.0.1, beside a bare
# Django view (bench/bare_settings.py: one view returning a short HttpResponse, no middleware) served by
# gunicorn with the same number of workers in the same run. For each page, page cache off then on:
# requests/s and its share of the bare view's requests/s measured in the same pass (before and after the
# pages), p50/p99 latency,
# and errors (non-2xx/3xx answers and socket errors: must be zero).
#
#   bash bench/throughput.sh                     # the shipped data, on a SQLite file
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_seoul bash bench/throughput.sh
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_seoul CASES=100000 bash bench/throughput.sh
#
# Settings: DURATION (10s), CONNECTIONS (50), THREADS (2), WORKERS (2 x cores + 1, as make serve),
# BIND (127.0.0.1:8100, so as not to collide with `make run` on 8000), BARE_BIND (127.0.0.1:8101),
# REDIS_URL (redis://127.0.0.1:6379/0), CASES (0: the shipped data; a number tops the database up to
# that many cases with synthetic ones first), PAGES (space-separated paths; default: the list below),
# MODES ("0 600": page cache seconds per pass), MAKE (make), PAIRED (0; 1: the bare view is run again just
# before each page, and each page's share is against the mean of the bare runs on either side of it, for a
# machine whose load changes within a pass). wrk runs on the same machine as the servers and takes some of
# their CPU: the absolute numbers are a floor, the shares within one run are what counts.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
BIND=${BIND:-127.0.0.1:8100}
BARE_BIND=${BARE_BIND:-127.0.0.1:8101}
CASES=${CASES:-0}
MODES=${MODES:-0 600}
REDIS=${REDIS_URL:-redis://127.0.0.1:6379/0}
BENCH_DATABASE_URL=${BENCH_DATABASE_URL:-sqlite:///${TMPDIR:-/tmp}/seoul_diplomacy_bench.sqlite3}
PYTHON=.venv/bin/python
WORKERS=${WORKERS:-$($PYTHON -c "import os; print(2 * os.cpu_count() + 1)")}
LOG=$(mktemp -t seoul-serve-XXXX.log)
BARE_LOG=$(mktemp -t seoul-bare-XXXX.log)

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
echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION per run; $WORKERS gunicorn workers for the site ($BIND) and the bare view ($BARE_BIND)"

if [ -z "${PAGES:-}" ]; then
  CASE=$(DJANGO_SETTINGS_MODULE=seoul_diplomacy.settings.production $PYTHON -c "
import django; django.setup()
from projects.models import Case
print(Case.objects.published().order_by('slug').first().get_absolute_url())")
  PAGES="/ /cases/ /cases/?sector=transportation&country=PH /cities/ $CASE /rankings/gpci/"
  PAGES="$PAGES $(for page in $PAGES; do printf '/ko%s ' "$page"; done)"
fi

SERVER=""
BARE=""
stop_group() {  # $1: the process group leader's pid
  kill -TERM -- "-$1" 2>/dev/null || true  # make, the gunicorn master and its workers: one group
  wait "$1" 2>/dev/null || true
}
stop_servers() {
  if [ -n "$SERVER" ]; then stop_group "$SERVER"; SERVER=""; fi
  if [ -n "$BARE" ]; then stop_group "$BARE"; BARE=""; fi
}
trap stop_servers EXIT

wait_for() {  # $1: address, $2: path, $3: log
  for _ in $(seq 120); do
    if curl -fs -o /dev/null -H "Host: localhost" -H "X-Forwarded-Proto: https" "http://$1$2"; then
      return
    fi
    sleep 0.5
  done
  echo "nothing answered on $1; the log:" >&2
  cat "$3" >&2
  exit 1
}

start_server() {  # $1: page cache seconds (0: off)
  DJANGO_PAGE_CACHE_SECONDS=$1 setsid ${MAKE:-make} serve BIND="$BIND" WORKERS="$WORKERS" >"$LOG" 2>&1 &
  SERVER=$!
  wait_for "$BIND" /healthz "$LOG"
}

start_bare() {  # the same gunicorn command line as make serve (access log included), the bare app
  setsid .venv/bin/gunicorn bench.bare_wsgi --no-control-socket --workers "$WORKERS" --bind "$BARE_BIND" \
    --access-logfile - --access-logformat '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s %({x-request-id}o)s' \
    >"$BARE_LOG" 2>&1 &
  BARE=$!
  wait_for "$BARE_BIND" / "$BARE_LOG"
}

declare -A RPS BARE_BEFORE BARE_AFTER
ROWS=()
run_wrk() {  # $1: mode, $2: address, $3: path; sets RPS[$1 $3]
  local out rps p50 p99 non2xx socket load
  load=$(cut -d' ' -f1 /proc/loadavg)  # other work on the machine skews a run: shown beside it
  curl -fs -o /dev/null -H "Host: localhost" -H "X-Forwarded-Proto: https" "http://$2$3"  # fail early
  # Warm every worker (its first request to a page loads templates and fills the caches), unmeasured.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d1s --timeout 30s -H "Host: localhost" -H "X-Forwarded-Proto: https" "http://$2$3" >/dev/null
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency \
    -H "Host: localhost" -H "X-Forwarded-Proto: https" "http://$2$3")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  socket=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
  RPS["$1 $3"]=$rps
  ROWS+=("$(printf '%-6s | %-46s | %10s | %8s | %8s | %11s | %13s | %4s' "$1" "$3" "$rps" "$p50" "$p99" "${non2xx:-0}" "${socket:-0}" "$load")")
  echo "  $1 $3: $rps requests/s" >&2
}

start_bare
for mode in $MODES; do
  label=$([ "$mode" = 0 ] && echo off || echo on)
  echo "== page cache $label" >&2
  start_server "$mode"
  # Each page asked once before the pass, unmeasured: what the workers share (the facet cells, the fragments,
  # in Redis) is drawn before any page is measured, as the goal asks ("facet cells warm"); at 100,000 cases
  # that first draw takes seconds, and the first page of a pass paid for it within its own run.
  for page in $PAGES; do
    curl -fs -o /dev/null --max-time 120 -H "Host: localhost" -H "X-Forwarded-Proto: https" "http://$BIND$page"
  done
  run_wrk "$label" "$BARE_BIND" "/bare/"
  first_bare=${RPS["$label /bare/"]}
  before=$first_bare
  bare_runs=("$first_bare")
  for page in $PAGES; do
    if [ "${PAIRED:-0}" = 1 ] && [ "$page" != "${PAGES%% *}" ]; then
      run_wrk "$label" "$BARE_BIND" "/bare/"
      before=${RPS["$label /bare/"]}
      bare_runs+=("$before")
      BARE_AFTER["$label $previous"]=$before
    fi
    BARE_BEFORE["$label $page"]=$before
    run_wrk "$label" "$BIND" "$page"
    previous=$page
  done
  run_wrk "$label" "$BARE_BIND" "/bare/"  # again at the end of the pass: the load may have changed
  bare_runs+=("${RPS["$label /bare/"]}")
  BARE_AFTER["$label $previous"]=${RPS["$label /bare/"]}
  if [ "${PAIRED:-0}" = 1 ]; then  # the bare view's row: the mean of all its runs in the pass
    RPS["$label /bare/"]=$(printf '%s\n' "${bare_runs[@]}" | awk '{sum += $1} END {printf "%.2f", sum / NR}')
  else
    RPS["$label /bare/"]=$(awk -v a="$first_bare" -v b="${RPS["$label /bare/"]}" 'BEGIN {printf "%.2f", (a + b) / 2}')
  fi
  stop_group "$SERVER"; SERVER=""
done
stop_servers

echo
printf '%-6s | %-46s | %10s | %8s | %8s | %11s | %13s | %s\n' "cache" "path" "requests/s" "p50" "p99" "non-2xx/3xx" "socket errors" "load before"
printf '%s\n' "-------|------------------------------------------------|------------|----------|----------|-------------|---------------|------------"
printf '%s\n' "${ROWS[@]}"

echo
if [ "${PAIRED:-0}" = 1 ]; then
  echo "Share of the bare view's requests/s: each page against the mean of the bare view's runs just before and"
  echo "just after it (the bare view's row: the mean of all its runs in the pass); goals: page cache off >= 0.10,"
  echo "on >= 0.50:"
else
  echo "Share of the bare view's requests/s in the same pass (the bare view: the mean of its runs at the start"
  echo "and the end of the pass; goals: page cache off >= 0.10, on >= 0.50):"
fi
echo
header="| page |"; rule="| --- |"
for mode in $MODES; do
  label=$([ "$mode" = 0 ] && echo off || echo on)
  header="$header page cache $label, req/s | share of bare |"; rule="$rule ---: | ---: |"
done
echo "$header"; echo "$rule"
for page in /bare/ $PAGES; do
  line="| \`$page\` |"
  [ "$page" = /bare/ ] && line="| bare view |"
  for mode in $MODES; do
    label=$([ "$mode" = 0 ] && echo off || echo on)
    bare=${RPS["$label /bare/"]}
    if [ "${PAIRED:-0}" = 1 ] && [ "$page" != /bare/ ]; then
      bare=$(awk -v a="${BARE_BEFORE["$label $page"]}" -v b="${BARE_AFTER["$label $page"]}" 'BEGIN {printf "%.2f", (a + b) / 2}')
    fi
    line="$line ${RPS["$label $page"]} | $(awk -v a="${RPS["$label $page"]}" -v b="$bare" 'BEGIN {printf "%.3f", a / b}') |"
  done
  echo "$line"
done

errors=$(printf '%s\n' "${ROWS[@]}" | awk -F'|' '{sum += $6 + $7} END {print sum + 0}')
echo
if [ "$errors" -ne 0 ]; then
  echo "ERRORS: $errors non-2xx/3xx answers or socket errors."
  exit 1
fi
echo "No errors: every answer was 2xx or 3xx, no socket errors."
