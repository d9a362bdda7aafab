"""The Nu HTML Checker (npm vnu-jar) finds no error on any public page type.

The pages are fetched with Django's test client (no browser needed) and checked in one run of the
checker: the JVM takes a few seconds to start, so it starts once for all of them.
"""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import PUBLIC_PAGES, ROOT

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# A short run: the JVM's quick compiler only (it starts in half the time), with the larger stack that the
# checker's schema needs under it.
JVM_OPTIONS = ["-XX:TieredStopAtLevel=1", "-Xss16m"]


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
        [java, *JVM_OPTIONS, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *map(str, paths)],
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


def test_every_public_page_type_is_valid_html(client, shipped_data, tmp_path):
    for name, path, status in PUBLIC_PAGES:
        response = client.get(path)
        assert response.status_code == status, f"{path} answered {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), path
        (tmp_path / f"{name}.html").write_bytes(response.content)
    paths = {name: path for name, path, _ in PUBLIC_PAGES}
    errors = [
        (Path(urlsplit(error.get("url", "")).path).stem, error) for error in run_vnu(sorted(tmp_path.glob("*.html")))
    ]
    lines = [
        f"{paths.get(name, name)} ({name}.html) line {error.get('lastLine', '?')}: {error['message']}\n"
        f"    {(error.get('extract') or '').strip()[:200]}"
        for name, error in errors
    ]
    assert not errors, f"The Nu HTML Checker found {len(errors)} error(s):\n" + "\n".join(lines)


def test_the_error_and_lockout_pages_are_valid_html(client, rf, db, tmp_path):
    """The pages rendered without the request (pages.views.error_page), hostile requests included."""
    from pages import views

    flood = "&".join(["a"] * 1001)
    pages = {
        "bad-host": client.generic("GET", "/", HTTP_HOST="evil.example"),
        "field-flood-ko": client.generic("GET", "/", PATH_INFO="/ko/", QUERY_STRING=flood),
        "other-host-path": client.generic("GET", "/", PATH_INFO="//evil.example/ko/"),
        "server-error": views.server_error(rf.get("/")),
        "lockout-ko": views.login_lockout(rf.post("/admin/login/", HTTP_ACCEPT_LANGUAGE="ko")),
    }
    for name, response in pages.items():
        assert response.status_code in {400, 404, 429, 500}, name
        (tmp_path / f"{name}.html").write_bytes(response.content)
    errors = run_vnu(sorted(tmp_path.glob("*.html")))
    assert not errors, [(error.get("url"), error.get("lastLine"), error["message"]) for error in errors]
