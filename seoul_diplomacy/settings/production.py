"""Production: gunicorn behind a TLS-terminating proxy, PostgreSQL, Redis (``make serve``; docs/deployment.md).

Refuses to start without a secret key, allowed hosts and the site's address. ``manage.py check --deploy
--fail-level WARNING`` passes under these settings (tests/production/test_deploy_check.py).
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from seoul_diplomacy import env

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env.get("DJANGO_SECRET_KEY", required=True)
ALLOWED_HOSTS = env.ALLOWED_HOSTS
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS (comma-separated host names).")
# Links in pages, sitemaps and exports start with the site's own address, never a request's Host.
SITE_URL = site_address(env.get("DJANGO_SITE_URL", required=True))  # noqa: F405
if not validate_host(urlsplit(SITE_URL).hostname, ALLOWED_HOSTS):  # noqa: F405
    raise ImproperlyConfigured(f"DJANGO_SITE_URL's host must be one of DJANGO_ALLOWED_HOSTS ({SITE_URL}).")

# Compressed, fingerprinted files from ``collectstatic``, served by whitenoise with far-future expiry.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # whitenoise.storage.CompressedManifestStaticFilesStorage, each file's URL worked out once per process.
    "staticfiles": {"BACKEND": "core.staticfiles.KeptURLsStorage"},
}

# The proxy in front terminates TLS and must set X-Forwarded-Proto itself (overwriting what a client sent).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.get_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Errors to a Sentry-compatible service, only when SENTRY_DSN is set (the SDK is not imported otherwise).
if env.SENTRY_DSN:
    from seoul_diplomacy.observability import init_sentry

    init_sentry(env.SENTRY_DSN, environment=env.SENTRY_ENVIRONMENT)
