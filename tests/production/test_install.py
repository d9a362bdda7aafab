"""The documented production path, from a fresh clone: the runtime lock installed (and nothing else),
the Korean catalogue compiled, ``migrate`` and ``make serve`` (docs/deployment.md, "Install"); and
``collectstatic`` started twice at once (scripts/collectstatic.py).

The clone is of the committed HEAD (uncommitted changes are not in it). The fresh-clone test builds a
real environment (uv, from its cache after the first time): about a minute, part of ``make test``.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from packaging.markers import Marker

from tests.production.test_deploy_check import PRODUCTION_ENV

ROOT = Path(settings.BASE_DIR)
DEV_TOOLS = ("pytest", "playwright", "ruff", "pytest_django", "xdist")
HOST = "diplomacy.example.org"


def clean_environ(tmp_path, **extra):
    """The operator's shell: the production variables, a SQLite database, no Redis, no dev venv."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    for name in ("REDIS_URL", "DATABASE_REPLICA_URL", "SENTRY_DSN", "VIRTUAL_ENV", "PYTHONPATH", "MAKEFLAGS"):
        env.pop(name, None)
    return {**env, **PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}", **extra}


def fresh_clone(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    return clone


def lock_names(lock):
    """The packages a lock installs on this machine (its markers evaluated: no Windows-only package)."""
    entries = re.findall(r"^([A-Za-z0-9_.-]+)==[^ ;\n]+(?: ; ([^\\\n]+))?", lock.read_text(), re.MULTILINE)
    return {re.sub(r"[-_.]+", "-", name).lower() for name, marker in entries if not marker or Marker(marker).evaluate()}


def translations():
    """Single-line entries of the Korean catalogue that HTML shows as they are: {English: Korean}."""
    text = (ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po").read_text()
    pairs = re.findall(r'^msgid "([A-Za-z][A-Za-z ,.]{7,})"\nmsgstr "([^"\\<>&\']+)"$', text, re.MULTILINE)
    return dict(pairs)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port, path):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Host": HOST, "X-Forwarded-Proto": "https"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


@pytest.mark.install
@pytest.mark.long
def test_a_fresh_clone_serves_the_korean_interface_from_runtime_packages_only(tmp_path):
    clone = fresh_clone(tmp_path)
    env = clean_environ(tmp_path)
    make = ["make", "-C", str(clone), "--no-print-directory"]
    installed = subprocess.run([*make, "install-runtime"], env=env, capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    python = str(clone / ".venv" / "bin" / "python")

    # Exactly the runtime lock: no test, browser or lint tool.
    found = subprocess.run(
        [python, "-c", f"import importlib.util as u; print([m for m in {DEV_TOOLS!r} if u.find_spec(m)])"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert found.stdout.strip() == "[]"
    assert not any((clone / ".venv" / "bin" / tool).exists() for tool in ("pytest", "ruff", "playwright"))
    frozen = subprocess.run(
        [python, "-m", "pip", "list", "--format", "json", "--exclude", "pip", "--exclude", "setuptools"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    names = {re.sub(r"[-_.]+", "-", package["name"]).lower() for package in json.loads(frozen.stdout)}
    assert names == lock_names(clone / "requirements" / "runtime.txt")

    migrated = subprocess.run(
        [python, "manage.py", "migrate", "--no-input", "-v0"], cwd=clone, env=env, capture_output=True, text=True
    )
    assert migrated.returncode == 0, migrated.stderr

    port = free_port()
    server = subprocess.Popen(
        [*make, "serve", f"BIND=127.0.0.1:{port}", "WORKERS=1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(240):
            try:
                status, korean = fetch(port, "/ko/")
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.5)
        else:
            pytest.fail("make serve did not answer within two minutes")
        _, english = fetch(port, "/")
        stylesheet = re.search(r'<link rel="stylesheet" href="(/static/[^"]+)"', korean)[1]
        static_status, _ = fetch(port, stylesheet)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    assert status == 200 and '<html lang="ko"' in korean
    shown = {msgid: msgstr for msgid, msgstr in translations().items() if f">{msgid}<" in english}
    assert len(shown) >= 5, shown  # the home page's interface strings, as the catalogue translates them
    for msgid, msgstr in shown.items():
        assert msgstr in korean, msgid
        assert f">{msgid}<" not in korean, msgid
    # collectstatic ran: the page names a fingerprinted file, and whitenoise serves it.
    assert re.fullmatch(r"/static/[\w/-]+\.[0-9a-f]{12}\.css", stylesheet) and static_status == 200


def collectstatic(clone, env):
    return subprocess.run(
        [sys.executable, "scripts/collectstatic.py"], cwd=clone, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.long
def test_two_collectstatic_runs_at_once_both_succeed_and_leave_a_complete_manifest(tmp_path):
    clone = fresh_clone(tmp_path)
    env = clean_environ(tmp_path)
    stale = clone / ".staticfiles" / "20200101T000000Z-old"  # a collection from an earlier deploy
    (stale / "css").mkdir(parents=True)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: collectstatic(clone, env), range(2)))
    assert [result.returncode for result in results] == [0, 0], [result.stderr for result in results]

    static_root = clone / "staticfiles"
    assert static_root.is_symlink()
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    sources = {
        path.relative_to(clone / "static").as_posix() for path in (clone / "static").rglob("*") if path.is_file()
    }
    assert sources <= set(manifest["paths"])  # every file of static/ is in the manifest ...
    missing = [name for name in manifest["paths"].values() if not (static_root / name).is_file()]
    assert missing == []  # ... and every fingerprinted name it gives is there
    # The collection before the current one is kept for workers started before the switch; older ones go.
    collections = [path for path in (clone / ".staticfiles").iterdir() if path.is_dir()]
    assert len(collections) == 2 and static_root.resolve() in collections and not stale.exists()


# --- the locks -------------------------------------------------------------------------------------


def pins(lock):
    """{name: (version, hashes)} of a lock file."""
    text = (ROOT / "requirements" / lock).read_text()
    found = {}
    for entry in re.split(r"\n(?=[A-Za-z])", text.split("\n", 2)[2]):
        name, version = re.match(r"([A-Za-z0-9_.-]+)==([^ ;\\\n]+)", entry).groups()
        found[re.sub(r"[-_.]+", "-", name).lower()] = (
            version,
            sorted(re.findall(r"--hash=sha256:([0-9a-f]{64})", entry)),
        )
    return found


def asked(requirements):
    """{name: version} of pyproject.toml's exact pins (extras dropped from the name)."""
    return {
        re.sub(r"[-_.]+", "-", re.sub(r"\[.*\]", "", name)).lower(): version
        for name, version in (requirement.split("==") for requirement in requirements)
    }


def test_the_locks_pin_what_pyproject_asks_with_hashes_and_one_version_everywhere():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, dev, sentry = pins("runtime.txt"), pins("dev.txt"), pins("runtime-sentry.txt")
    # A dependency added to pyproject.toml without `make lock` fails here.
    for lock, wanted in [
        (runtime, asked(project["dependencies"])),
        (dev, asked(project["dependencies"] + project["optional-dependencies"]["dev"])),
        (sentry, asked(project["dependencies"] + project["optional-dependencies"]["sentry"])),
    ]:
        assert {name: lock[name][0] for name in wanted if name in lock} == wanted
    assert all(hashes for lock in (runtime, dev, sentry) for _, hashes in lock.values())
    # The runtime locks are the dev lock's versions (and files): what is tested is what is deployed.
    for lock in (runtime, sentry):
        assert {name: dev[name] for name in lock} == lock
    assert not {"pytest", "playwright", "ruff", "pytest-django", "pytest-xdist"} & (set(runtime) | set(sentry))
    assert "sentry-sdk" in sentry and "sentry-sdk" not in runtime
    # The installer's own lock: the uv that requirements/uv.in names, with its hashes.
    uv_asked = asked([(ROOT / "requirements" / "uv.in").read_text().split("#")[0].strip()])
    uv = pins("uv.txt")
    assert {name: uv[name][0] for name in uv_asked} == uv_asked and all(hashes for _, hashes in uv.values())
