#!/bin/sh
# Regenerate the README's screenshots (docs/screenshots/*.png) from the browser tests' set-up:
# the live server with the shipped data, in Debian's Chromium (tests/browser/test_screenshots.py).
#
# Usage: scripts/screenshots.sh [pytest options]
set -eu
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pytest -m screenshots tests/browser/test_screenshots.py -p no:xdist "$@"
