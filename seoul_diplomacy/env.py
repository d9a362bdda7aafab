"""The one place where the environment is read.

Every setting that can change between machines comes from a ``DJANGO_``-prefixed
variable (or the conventional ``DATABASE_URL`` / ``REDIS_URL``), read here and
nowhere else, so a reader can see every knob in one file.
"""

import os

from django.core.exceptions import ImproperlyConfigured


def get(name, default=None, *, required=False):
    value = os.environ.get(name)
    if value in (None, ""):
        if required:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def get_bool(name, default=False):
    value = get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def get_int(name, default=0):
    value = get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def get_list(name, default=()):
    value = get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = get("DJANGO_SECRET_KEY")
DEBUG = get_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = get_list("DJANGO_ALLOWED_HOSTS")
# The site's public address (scheme and host, e.g. https://diplomacy.seoul.go.kr): every absolute link
# the site writes (canonical, hreflang, og:url, sitemaps, robots.txt, exports) starts with it, never with
# the Host a request sent. Required in production; http://127.0.0.1:8000 in dev.
SITE_URL = get("DJANGO_SITE_URL")
DATABASE_URL = get("DATABASE_URL")
REDIS_URL = get("REDIS_URL")
SQLITE_PATH = get("DJANGO_SQLITE_PATH")
# A read-only copy of the database for public pages (seoul_diplomacy.db_routers); none by default.
DATABASE_REPLICA_URL = get("DATABASE_REPLICA_URL")
# Public pages read from the primary while the replica is further behind than this, in seconds.
REPLICA_MAX_LAG_SECONDS = get_int("DJANGO_REPLICA_MAX_LAG_SECONDS", 10)
# How often each process checks the replica's health and lag, in seconds (one short query each time).
REPLICA_CHECK_SECONDS = get_int("DJANGO_REPLICA_CHECK_SECONDS", 5)
# How long a PostgreSQL connection is kept open between requests, in seconds (0: one per request).
CONN_MAX_AGE = get_int("DJANGO_CONN_MAX_AGE", 60)
# How long an anonymous public page stays in the cache, in seconds; 0 turns the page cache off.
# Unset: on (10 minutes) when REDIS_URL names a shared cache, off otherwise (see settings/base.py).
PAGE_CACHE_SECONDS = get_int("DJANGO_PAGE_CACHE_SECONDS", 600 if REDIS_URL else 0)
# How many proxies (load balancer, CDN) add themselves to X-Forwarded-For in front of the app; the
# client address that login throttling counts is the one they saw. 0: the address of the connection.
TRUSTED_PROXY_COUNT = get_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
# Set by CI services; there the Redis cache tests must run, never skip.
CI = get("CI", "false").lower() not in {"0", "false", "no", "off"}

# Failing fast when a service hangs (docs/deployment.md, "When a service fails").
# Seconds to wait for a new PostgreSQL connection (libpq's connect_timeout; at least 2). 0: wait forever.
DB_CONNECT_TIMEOUT = get_int("DJANGO_DB_CONNECT_TIMEOUT", 3)
# Milliseconds PostgreSQL lets one statement run before cancelling it (statement_timeout). 0: no limit
# and no startup option sent (for PgBouncer, which refuses it: set it on the database role instead).
DB_STATEMENT_TIMEOUT_MS = get_int("DJANGO_DB_STATEMENT_TIMEOUT_MS", 5000)
# True behind PgBouncer in transaction pooling: exports then read whole querysets, not through cursors.
DB_DISABLE_SERVER_SIDE_CURSORS = get_bool("DJANGO_DB_DISABLE_SERVER_SIDE_CURSORS", False)
# Milliseconds to wait for Redis to connect or answer, and seconds to skip it after it did not
# (core.redis_cache): a hung or dead cache costs one request that long, then none for a while.
CACHE_TIMEOUT_MS = get_int("DJANGO_CACHE_TIMEOUT_MS", 50)
CACHE_RETRY_SECONDS = get_int("DJANGO_CACHE_RETRY_SECONDS", 5)

# Operations.
# "json": one JSON object per log line, with the request id (seoul_diplomacy.observability); "text" otherwise.
LOG_FORMAT = get("DJANGO_LOG_FORMAT", "text").lower()
# A Sentry (or Sentry-compatible: GlitchTip, …) DSN: errors are reported there. Unset: nothing is sent.
SENTRY_DSN = get("SENTRY_DSN")
SENTRY_ENVIRONMENT = get("SENTRY_ENVIRONMENT", "production")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
