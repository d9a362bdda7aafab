#!/usr/bin/env bash
# Lighthouse (npm `lighthouse`, pinned in package.json) on every page type in both languages, as a phone
# sees them: the default mobile preset (simulated slow 4G and a 4x slower CPU), against `make serve`
# (gunicorn, production settings, collectstatic's compressed fingerprinted files served by whitenoise) on
# 127.0.0.1 with the page cache off, on a database holding the shipped fixtures (load_initial_data).
# Prints one row per page: performance, largest contentful paint, cumulative layout shift, total
# blocking time, accessibility, best practices, SEO (scores out of 100), and the bytes transferred.
#
#   bash bench/lighthouse.sh                  # every page
#   PAGES="/ /ko/cases/" bash bench/lighthouse.sh
#
# Needs `make browser-deps` (Chromium, node_modules). Settings: BIND (127.0.0.1:8200), CHROME_PATH
# (/usr/bin/chromium), OUT (a temporary folder: one JSON report per page, kept for a closer look),
# MAKE (make). Simulated throttling scales what the trace measured on this machine: other work on its
# cores moves the figures by a few points; the load average is shown with the table.
set -euo pipefail
cd "$(dirname "$0")/.."

BIND=${BIND:-127.0.0.1:8200}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
OUT=${OUT:-$(mktemp -d -t seoul-lighthouse-XXXX)}
mkdir -p "$OUT"
DB=$(mktemp -t seoul-lighthouse-XXXX.sqlite3)
LOG=$(mktemp -t seoul-lighthouse-serve-XXXX.log)
PYTHON=.venv/bin/python
LIGHTHOUSE=node_modules/.bin/lighthouse

[ -x "$LIGHTHOUSE" ] || { echo "node_modules/.bin/lighthouse is missing: make browser-deps" >&2; exit 1; }
[ -x "$CHROME_PATH" ] || { echo "$CHROME_PATH is missing: make browser-deps" >&2; exit 1; }

DEFAULT_PAGES=(
  / /cases/ "/cases/?sector=transportation" /cases/auckland-transportation-card/ /sectors/ /sectors/transportation/
  /cities/ /cities/ankara/ /rankings/ /rankings/gpci/ /organizations/ /data/ "/search/?q=transport"
)
if [ -n "${PAGES:-}" ]; then
  read -r -a PAGE_LIST <<<"$PAGES"
else
  PAGE_LIST=()
  for page in "${DEFAULT_PAGES[@]}"; do PAGE_LIST+=("$page"); done
  for page in "${DEFAULT_PAGES[@]}"; do PAGE_LIST+=("/ko$page"); done
fi

export DJANGO_SECRET_KEY="bench-only-secret-key-not-for-any-real-site-0123456789abcdefghijklmnop"
export DJANGO_ALLOWED_HOSTS="127.0.0.1"
export DJANGO_SITE_URL="http://$BIND"  # canonical links on the same host and port as the page
export DJANGO_SECURE_SSL_REDIRECT=0     # plain http on 127.0.0.1: no TLS proxy in front
export DJANGO_PAGE_CACHE_SECONDS=0      # every page rendered by the app, as on a cache miss
export DATABASE_URL="sqlite:///$DB"
unset REDIS_URL DATABASE_REPLICA_URL

SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then
    kill -TERM -- "-$SERVER" 2>/dev/null || true  # make, the gunicorn master and its workers: one group
    wait "$SERVER" 2>/dev/null || true
  fi
  rm -f "$DB" "$LOG"
}
trap cleanup EXIT

echo "Loading the shipped fixtures into $DB ..." >&2
DJANGO_SETTINGS_MODULE=seoul_diplomacy.settings.production $PYTHON manage.py migrate --no-input -v0
DJANGO_SETTINGS_MODULE=seoul_diplomacy.settings.production $PYTHON manage.py load_initial_data >/dev/null

setsid ${MAKE:-make} serve BIND="$BIND" WORKERS=2 >"$LOG" 2>&1 &
SERVER=$!
for _ in $(seq 120); do
  curl -fs -o /dev/null "http://$BIND/healthz" && break
  sleep 0.5
done
curl -fs -o /dev/null "http://$BIND/healthz" || { echo "make serve did not answer on $BIND:" >&2; cat "$LOG" >&2; exit 1; }

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
i=0
for page in "${PAGE_LIST[@]}"; do
  i=$((i + 1))
  curl -fs -o /dev/null "http://$BIND$page" || { echo "$page does not answer 200" >&2; exit 1; }
  echo "  [$i/${#PAGE_LIST[@]}] $page" >&2
  for attempt in 1 2 3; do  # on a busy machine Chrome now and then loses the trace (NO_NAVSTART): run again
    "$LIGHTHOUSE" "http://$BIND$page" --quiet --output=json --output-path="$OUT/$(printf '%02d' "$i").json" \
      --only-categories=performance,accessibility,best-practices,seo \
      --chrome-flags="--headless=new --no-sandbox" >/dev/null && break
    [ "$attempt" -lt 3 ] || { echo "Lighthouse failed three times on $page" >&2; exit 1; }
  done
done

echo
echo "Lighthouse $("$LIGHTHOUSE" --version), mobile preset, $(nproc) cores, load average $LOAD_BEFORE before and $(cut -d' ' -f1-3 /proc/loadavg) after; reports in $OUT"
$PYTHON - "$OUT" <<'PY'
import json
import sys
from pathlib import Path

rows = []
for path in sorted(Path(sys.argv[1]).glob("*.json")):
    report = json.loads(path.read_text())
    cat, audit = report["categories"], report["audits"]
    url = report["finalDisplayedUrl"].split("/", 3)[3]
    rows.append(
        (
            "/" + url,
            round(cat["performance"]["score"] * 100),
            audit["largest-contentful-paint"]["numericValue"] / 1000,
            audit["cumulative-layout-shift"]["numericValue"],
            audit["total-blocking-time"]["numericValue"],
            round(cat["accessibility"]["score"] * 100),
            round(cat["best-practices"]["score"] * 100),
            round(cat["seo"]["score"] * 100),
            audit["total-byte-weight"]["numericValue"] / 1000,
        )
    )
print(f"| {'page':<40} | perf |   LCP |   CLS |    TBT | a11y | best | SEO |   KB |")
print(f"|{'-' * 42}|-----:|------:|------:|-------:|-----:|-----:|----:|-----:|")
for page, perf, lcp, cls, tbt, a11y, best, seo, kb in rows:
    print(f"| {page:<40} | {perf:>4} | {lcp:3.1f} s | {cls:5.3f} | {tbt:3.0f} ms | {a11y:>4} | {best:>4} | {seo:>3} | {kb:4.0f} |")
worst = min(rows, key=lambda r: r[1])
print(
    f"\nLowest performance {worst[1]} ({worst[0]}); LCP up to {max(r[2] for r in rows):.1f} s;"
    f" CLS up to {max(r[3] for r in rows):.3f};"
    f" accessibility/best practices/SEO below 100 on {sum(min(r[5:8]) < 100 for r in rows)} pages."
)
PY
