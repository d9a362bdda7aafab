"""The production settings, loaded as production loads them: in a fresh process, from the environment."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "seoul_diplomacy.settings.production",
    "DJANGO_SECRET_KEY": "test-deploy-check-k3y-that-is-long-and-random-enough-0123456789-abcdefghij",
    "DJANGO_ALLOWED_HOSTS": "diplomacy.example.org",
    "DJANGO_SITE_URL": "https://diplomacy.example.org",
}
# What a request to the production site answers, printed by a child process as JSON.
PROBE = """
import json
import django
from django.conf import settings
from django.test import Client, override_settings

django.setup()
client = Client(HTTP_HOST="diplomacy.example.org")
plain = client.get("/robots.txt")
secure = client.get("/robots.txt", headers={"X-Forwarded-Proto": "https"})
# The login form sets the CSRF cookie; plain static storage, as there is no collectstatic output here.
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}}):
    login = client.get("/admin/login/", headers={"X-Forwarded-Proto": "https"})
csrf = login.cookies[settings.CSRF_COOKIE_NAME]
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "hsts": secure.get("Strict-Transport-Security"),
    "csp": secure.get("Content-Security-Policy"),
    "csrf_cookie": {"secure": csrf["secure"], "httponly": csrf["httponly"], "samesite": csrf["samesite"]},
    "settings": {name: getattr(settings, name) for name in (
        "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
        "SESSION_COOKIE_AGE", "SESSION_SAVE_EVERY_REQUEST", "CSRF_COOKIE_SECURE", "AXES_FAILURE_LIMIT",
    )},
    "axes_first": settings.AUTHENTICATION_BACKENDS[0],
}))
"""


def run(args, environ, tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("REDIS_URL", None)
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}", **environ)
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_at_warning_level(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_SITE_URL"])
def test_production_refuses_to_start_without(missing, tmp_path):
    environ = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = run(["manage.py", "check"], environ, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


@pytest.mark.parametrize(
    "site_url",
    [
        "diplomacy.example.org",
        "ftp://diplomacy.example.org",
        "https://diplomacy.example.org/ko/",
        "https://other.example",
    ],
)
def test_production_refuses_a_site_address_that_is_not_one_of_its_hosts(site_url, tmp_path):
    result = run(["manage.py", "check"], {**PRODUCTION_ENV, "DJANGO_SITE_URL": site_url}, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_SITE_URL" in result.stderr


def test_production_answers_over_https_only_with_hsts_and_secure_cookies(tmp_path):
    result = run(["-c", PROBE], PRODUCTION_ENV, tmp_path)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["plain_status"] == 301
    assert probe["plain_location"] == "https://diplomacy.example.org/robots.txt"
    assert probe["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'none'" in probe["csp"]
    assert probe["csrf_cookie"] == {"secure": True, "httponly": True, "samesite": "Strict"}
    assert probe["settings"] == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_AGE": 1800,
        "SESSION_SAVE_EVERY_REQUEST": True,
        "CSRF_COOKIE_SECURE": True,
        "AXES_FAILURE_LIMIT": 5,
    }
    assert probe["axes_first"] == "axes.backends.AxesStandaloneBackend"
