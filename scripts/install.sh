#!/bin/sh
# Installs a lock file into a virtual environment, exactly: what the lock names and nothing else
# (`make install` with requirements/dev.txt, `make install-runtime` and the Dockerfile with
# requirements/runtime.txt). Every file is checked against the lock's hashes.
#
#   scripts/install.sh VENV LOCK
#   scripts/install.sh VENV          # only the environment and uv (what `make lock` needs)
#
# uv (pinned, with its hashes, in requirements/uv.txt) is installed beside the environment, in
# VENV/.tools, by the system's pip; it then makes the environment match the lock (`uv pip sync`:
# it also removes what the lock does not name, such as the dev tools when going from dev to runtime).
# INSTALLER=pip uses pip alone instead (slower): the environment is made afresh, then
# `pip install --require-hashes --no-deps -r LOCK`.
set -eu
venv=$1
lock=${2:-}
python=${PYTHON:-python3}
here=$(cd "$(dirname "$0")/.." && pwd)

if [ "${INSTALLER:-uv}" = pip ] && [ -n "$lock" ]; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --require-hashes --no-deps -r "$lock"
  exit 0
fi

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
uv="$venv/.tools/bin/uv"
wanted=$(sed -n 's/^uv==\([^ ;]*\).*/\1/p' "$here/requirements/uv.txt")
if [ "$("$uv" --version 2>/dev/null | cut -d' ' -f2)" != "$wanted" ]; then
  rm -rf "$venv/.tools"
  PIP_ROOT_USER_ACTION=ignore "$python" -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
    --target "$venv/.tools" -r "$here/requirements/uv.txt"
fi
[ -n "$lock" ] || exit 0
UV_NO_PROGRESS=1 "$uv" pip sync --quiet --python "$venv/bin/python" --require-hashes "$lock"
