#!/usr/bin/env bash
# Test time (issue 10): the suite as `make test` runs it (SQLite, two workers, browser tests included) at the
# start of the round and now, in one sitting on this machine, one run after the other:
#
#   1. the start's suite (START, a commit; checked out in a temporary worktree, run with this .venv), in
#      the environment its `make test` gave it;
#   2. today's tests that the start also had, matched by name (a test that moved to another module
#      keeps its name; RENAMED below maps the start's names of tests merged since), so that the two
#      runs do the same work, in the environment today's `make test`
#      gives (Python keeps the project's and the tests' bytecode in __pycache__/, and the migrated SQLite
#      test database in .test-databases/): first cold (neither kept: the first `make test` of a fresh
#      clone), then again (warm);
#   3. today's whole suite (warm).
#
# Each run prints pytest's 15 slowest steps; the table at the end gives wall time, test count and the
# ratio of each run to the start's. Run `make install browser-deps messages` first.
#
#   bash bench/test_time.sh                 # START=4bc3403 (the round's start), WORKERS=2 (as make test)
set -euo pipefail
cd "$(dirname "$0")/.."

START=${START:-4bc3403}
WORKERS=${WORKERS:-2}
PYTHON=$PWD/.venv/bin/python
WORK=$(mktemp -d -t seoul-test-time-XXXX)
trap 'git worktree remove --force "$WORK/start" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

git worktree add --quiet --detach "$WORK/start" "$START"
ln -s "$PWD/.venv" "$WORK/start/.venv"
ln -s "$PWD/node_modules" "$WORK/start/node_modules"
msgfmt --check-format -o "$WORK/start/locale/ko/LC_MESSAGES/django.mo" "$WORK/start/locale/ko/LC_MESSAGES/django.po"

collect() { (cd "$1" && "$PYTHON" -m pytest --collect-only -q -p no:xdist 2>/dev/null | grep '::' || true); }
collect "$WORK/start" >"$WORK/start.ids"
collect "$PWD" >"$WORK/now.ids"
"$PYTHON" - "$WORK/start.ids" "$WORK/now.ids" "$WORK/same.ids" <<'EOF'
import re
import sys

start, now, same = sys.argv[1:]
name = lambda test: test.split("::")[-1]  # noqa: E731  (function name and parameters)
# Tests that do the start's work under another name. The axe check of a page at 360 and at 1280 px
# (test_no_axe_violations[chromium-home-360], [...-1280]) is one test per page since 8 December 2026,
# which checks both widths on one load ([chromium-home]).
RENAMED = [(r"^(test_no_axe_violations\[chromium-.+)-(?:360|1280)\]$", r"\1]")]


def renamed(test):
    for old, new in RENAMED:
        test = re.sub(old, new, test)
    return test


names = {renamed(name(line.strip())) for line in open(start) if line.strip()}
kept = [line.strip() for line in open(now) if line.strip() and name(line.strip()) in names]
open(same, "w").write("\n".join(kept) + "\n")
EOF

declare -A SECONDS_OF TESTS_OF FAILED_OF
run() {  # label, directory, pytest arguments... (the environment: the caller's)
  local label=$1 dir=$2
  shift 2
  echo "== $label (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  local began=$EPOCHREALTIME
  (cd "$dir" && "$PYTHON" -m pytest -n "$WORKERS" -q --durations=15 "$@" 2>&1) | tee "$WORK/$label.log" |
    sed -n '/slowest 15/,$p' || true  # a failed test is reported below, and the other runs still made
  SECONDS_OF[$label]=$("$PYTHON" -c "print($EPOCHREALTIME - $began)")
  TESTS_OF[$label]=$(grep -Eo '[0-9]+ passed' "$WORK/$label.log" | tail -1 | cut -d' ' -f1 || true)
  FAILED_OF[$label]=$(grep -Eo '[0-9]+ failed' "$WORK/$label.log" | tail -1 | cut -d' ' -f1 || true)
}

run start "$WORK/start"
find . -name __pycache__ -type d -not -path './.venv/*' -not -path './node_modules/*' -prune -exec rm -rf {} +
rm -rf .test-databases  # as in a fresh clone: the first run migrates (tests/migrated_database.py)
# Today's `make test` hands tests out with --dist worksteal (Makefile); the start's used pytest-xdist's default.
PYTHONDONTWRITEBYTECODE='' run same-cold "$PWD" --dist worksteal "@$WORK/same.ids"
PYTHONDONTWRITEBYTECODE='' run same "$PWD" --dist worksteal "@$WORK/same.ids"
PYTHONDONTWRITEBYTECODE='' run now "$PWD" --dist worksteal

echo
echo "Machine: $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg); start = $START, now = $(git rev-parse --short HEAD)"
printf '%-44s | %6s | %6s | %7s | %s\n' "run" "passed" "failed" "wall s" "to the start"
for label in start same-cold same now; do
  case $label in
    start) title="the start's suite" ;;
    same-cold) title="today's tests the start had, cold ($(wc -l <"$WORK/same.ids") ids)" ;;
    same) title="the same tests again" ;;
    now) title="today's whole suite" ;;
  esac
  printf '%-44s | %6s | %6s | %7.1f | %.2f\n' "$title" "${TESTS_OF[$label]}" "${FAILED_OF[$label]:-0}" \
    "${SECONDS_OF[$label]}" \
    "$("$PYTHON" -c "print(${SECONDS_OF[$label]} / ${SECONDS_OF[start]})")"
done
