"""The Nu HTML Checker (npm vnu-jar) finds no error on any public page type.

The pages are fetched with Django's test client (no browser needed) and checked in one run of the
checker: the JVM takes a few seconds to start, so it starts once for the pages of both tests.
"""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test import Client, RequestFactory

from core.cache import content_changed
from tests.browser.conftest import PUBLIC_PAGES, ROOT
from tests.conftest import write_rows

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# A short run: the JVM's quick compiler only (it starts in half the time), with the larger stack that the
# checker's schema needs under it.
JVM_OPTIONS = ["-XX:TieredStopAtLevel=1", "-Xss16m"]
# Errors only, so no guess of each page's language (it gives warnings; the lang attributes are tested in
# tests/test_korean_site.py).
CHECKER_OPTIONS = ["--format", "json", "--errors-only", "--no-langdetect"]


def run_vnu(paths):
    """The checker's error messages for ``paths`` (a list of HTML files)."""
    java = shutil.which("java")
    if not java:
        pytest.fail(
            "The HTML checks need Java to run the Nu HTML Checker: install it with "
            "`apt-get install default-jre-headless` (or run `make test`, which installs it).",
            pytrace=False,
        )
    if not VNU_JAR.exists():
        pytest.fail(f"The Nu HTML Checker is missing at {VNU_JAR}: run `npm ci` in {ROOT}.", pytrace=False)
    completed = subprocess.run(
        [java, *JVM_OPTIONS, "-jar", str(VNU_JAR), *CHECKER_OPTIONS, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        report = json.loads(completed.stderr or completed.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"The Nu HTML Checker did not answer in JSON (exit {completed.returncode}):\n{completed.stderr}")
    return [message for message in report["messages"] if message.get("type") != "info"]


ERROR_PAGES = ["bad-host", "field-flood-ko", "other-host-path", "server-error", "lockout-ko"]


@pytest.fixture(scope="module")
def checked(shipped_rows, django_db_blocker, tmp_path_factory):
    """Both tests' pages, rendered with the shipped data and checked in one run of the checker:
    {"responses": {file name: response}, "errors": {file name: [the checker's errors]}}. The error and
    lockout pages are rendered without the request (pages.views.error_page), hostile requests included.

    The rows are written and the pages rendered inside one transaction that is rolled back, and the
    connection is closed, before any test runs: nothing stays open while the module's tests and the checker
    run. (A transaction held open across tests, as ``module_transaction`` does, is exited through whichever
    connection object the thread's context holds at teardown; once Playwright's sync API has run in the
    process that can be another object, and the first stayed idle in transaction, holding locks that a
    transactional test's flush then waited on.)"""
    from pages import views

    client, rf = Client(), RequestFactory()
    folder = tmp_path_factory.mktemp("html")
    with django_db_blocker.unblock():
        connection = connections[DEFAULT_DB_ALIAS]
        with transaction.atomic():
            write_rows(shipped_rows)
            responses = {name: client.get(path) for name, path, _ in PUBLIC_PAGES}
            flood = "&".join(["a"] * 1001)
            responses |= {
                "bad-host": client.generic("GET", "/", HTTP_HOST="evil.example"),
                "field-flood-ko": client.generic("GET", "/", PATH_INFO="/ko/", QUERY_STRING=flood),
                "other-host-path": client.generic("GET", "/", PATH_INFO="//evil.example/ko/"),
                "server-error": views.server_error(rf.get("/")),
                "lockout-ko": views.login_lockout(rf.post("/admin/login/", HTTP_ACCEPT_LANGUAGE="ko")),
            }
            transaction.set_rollback(True)
        content_changed()  # what was cached while the rows existed describes rows that are gone
        connection.close()
    for name, response in responses.items():
        (folder / f"{name}.html").write_bytes(response.content)
    errors = {name: [] for name in responses}
    for error in run_vnu(sorted(folder.glob("*.html"))):
        errors[Path(urlsplit(error.get("url", "")).path).stem].append(error)
    return {"responses": responses, "errors": errors}


@pytest.mark.long
def test_every_public_page_type_is_valid_html(checked, db):
    for name, path, status in PUBLIC_PAGES:
        response = checked["responses"][name]
        assert response.status_code == status, f"{path} answered {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), path
    errors = [(name, error) for name, _, _ in PUBLIC_PAGES for error in checked["errors"][name]]
    paths = {name: path for name, path, _ in PUBLIC_PAGES}
    lines = [
        f"{paths.get(name, name)} ({name}.html) line {error.get('lastLine', '?')}: {error['message']}\n"
        f"    {(error.get('extract') or '').strip()[:200]}"
        for name, error in errors
    ]
    assert not errors, f"The Nu HTML Checker found {len(errors)} error(s):\n" + "\n".join(lines)


def test_the_error_and_lockout_pages_are_valid_html(checked, db):
    for name in ERROR_PAGES:
        assert checked["responses"][name].status_code in {400, 404, 429, 500}, name
    errors = [error for name in ERROR_PAGES for error in checked["errors"][name]]
    assert not errors, [(error.get("url"), error.get("lastLine"), error["message"]) for error in errors]
