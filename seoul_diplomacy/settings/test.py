"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL is set (``.ci/run`` does both)."""

from seoul_diplomacy import env

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if not env.DATABASE_URL:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Tests serve static files through the finders (no collectstatic), as dev does.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
