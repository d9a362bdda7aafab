"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL is set (``.ci/run`` does both)."""

from seoul_diplomacy import env

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SITE_URL = "http://testserver"  # the test client's host, so absolute links read as the requests do
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not env.DATABASE_URL:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
# The replica alias (the router is off unless a test turns it on). On PostgreSQL, a mirror of the test
# database: tests/production/test_replica.py starts a real streaming replica and points the alias at
# it. On SQLite, a second, separate in-memory database that stands in for one
# (tests/production/test_router.py); pytest-django creates it only when a test asks for it. Its tables are
# made from the models, as a replica gets them from its primary rather than by migrating (the models and
# the migrations agree: `make lint` runs makemigrations --check); migrating it too doubled each test
# process's set-up.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIGRATE": False}}  # named after the alias
else:
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = []

LOGGING = {"version": 1, "disable_existing_loggers": False}

# Memory, never Redis, whatever the environment says: tests/production/test_cache.py points the page
# cache at the real Redis itself. The page cache is off unless a test turns it on.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
PAGE_CACHE_SECONDS = 0
FRAGMENT_CACHE = False  # tests/production/test_fragment_cache.py turns it on

# client.login() calls authenticate() without a request, which axes needs; tests/production/test_axes.py
# turns axes on and logs in through the admin login form, as staff do.
AXES_ENABLED = False

# Tests serve static files through the finders (no collectstatic), as dev does.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Production saves the session on every request, which is what ends it after 30 idle minutes. Here it
# would add a write to every staff request and to the admin query-count tests;
# tests/production/test_axes.py turns it on to check the idle timeout.
SESSION_SAVE_EVERY_REQUEST = False
