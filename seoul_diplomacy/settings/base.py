"""Settings shared by every environment. The environment is read in ``seoul_diplomacy.env``."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from seoul_diplomacy import env, observability

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env.SECRET_KEY
DEBUG = env.DEBUG
# Django's debug page (make run) and error reports, for a request Django refused for its query too.
DEFAULT_EXCEPTION_REPORTER = "seoul_diplomacy.debug.RefusedRequestReporter"
ALLOWED_HOSTS = env.ALLOWED_HOSTS


def site_address(url):
    """``url`` as the site's address: http(s), a host, no path, query or fragment; no trailing slash."""
    parts = urlsplit(url or "")
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path.strip("/") or parts.query:
        raise ImproperlyConfigured(
            f"DJANGO_SITE_URL must be the site's address, scheme and host only (https://example.org), not {url!r}."
        )
    return f"{parts.scheme}://{parts.netloc}"


# The address every absolute link starts with (core.links.absolute_url); never taken from a request.
SITE_URL = site_address(env.SITE_URL or "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "csp",
    "axes",
    "core",  # the kernel: content base, page cache (connected to content changes in core.apps), site tags
    "listing",  # the filtered-list machinery (its widget templates are in listing/jinja2/)
    "projects",
    "rankings",
    "dataio",  # data maintenance: management commands, import/export, open data
    "pages",  # the site's own pages; its template tags compose both apps (declared versus documented)
]

# The apps whose models are the site's content (core.content.content_models), in dependency order.
CONTENT_APPS = ("projects", "rankings")

# Outermost first. The request id first of all: every response, and every log line made while it is
# served, carries it. Then the page cache (seoul_diplomacy.middleware.PageCacheMiddleware): it stores
# the final response, every header below it set (security, CSP, frame options, language), so a hit
# costs the work of nothing below it; it answers only anonymous reads and leaves static files alone.
# These two first, and in this order: wsgi.py's PageCacheHits answers a hit on a page its process keeps a
# copy of in front of Django's handler, doing what only they would have done, and is off otherwise.
# Security headers wrap everything else, static files included (whitenoise answers a static file
# without calling what is below it, so every header middleware is above it); sessions, CSRF and auth
# below the page cache (it sees their cookies, and a hit costs none of their work); axes last of those,
# as its documentation asks, and inside it only the view's database-failure handling
# (seoul_diplomacy.resilience). A compressing middleware (GZipMiddleware) goes below the page cache,
# anywhere above the view: the cache keys an entry on whether the client takes gzip, so it stores the
# compressed bytes once instead of compressing every hit.
MIDDLEWARE = [
    "seoul_diplomacy.observability.RequestIdMiddleware",
    "seoul_diplomacy.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "seoul_diplomacy.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Gzip for anonymous public pages only (BREACH: seoul_diplomacy/compression.py); inside whitenoise, whose
    # static files come precompressed, and inside the page cache, which keys on whether the client takes gzip
    # and so stores each encoding once, compressed once.
    "seoul_diplomacy.compression.PublicGZipMiddleware",
    "seoul_diplomacy.middleware.PublicReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "seoul_diplomacy.resilience.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "seoul_diplomacy.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # The frame of every public page and the filtered lists (templates/jinja2/: seoul_diplomacy/jinja2.py); the
        # Django engine above stays first, for the admin and every template not moved.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "seoul_diplomacy.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "seoul_diplomacy.wsgi.application"


def database(url):
    """A DATABASES entry. PostgreSQL connections persist between requests and are checked before reuse;
    a database that does not answer fails a new connection after ``DB_CONNECT_TIMEOUT`` seconds, and a
    statement that runs longer than ``DB_STATEMENT_TIMEOUT_MS`` is cancelled by the server (either then
    answers 503: seoul_diplomacy.resilience). 0 turns either off."""
    config = dj_database_url.parse(url)
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.update(CONN_MAX_AGE=env.CONN_MAX_AGE, CONN_HEALTH_CHECKS=True)
        options = config.setdefault("OPTIONS", {})
        if env.DB_CONNECT_TIMEOUT:
            options["connect_timeout"] = env.DB_CONNECT_TIMEOUT
        if env.DB_STATEMENT_TIMEOUT_MS:
            options["options"] = f"-c statement_timeout={env.DB_STATEMENT_TIMEOUT_MS}"
        # PgBouncer in transaction pooling cannot keep a cursor open across transactions (exports use them).
        config["DISABLE_SERVER_SIDE_CURSORS"] = env.DB_DISABLE_SERVER_SIDE_CURSORS
    return config


# SQLite in the project folder unless DATABASE_URL names another database.
DATABASES = {"default": database(env.DATABASE_URL or f"sqlite:///{env.SQLITE_PATH or BASE_DIR / 'db.sqlite3'}")}

# A read replica, when there is one: anonymous public pages read from it while it is up and at most
# REPLICA_MAX_LAG_SECONDS behind (checked every REPLICA_CHECK_SECONDS); everything else uses default.
if env.DATABASE_REPLICA_URL:
    DATABASES["replica"] = database(env.DATABASE_REPLICA_URL)
    DATABASE_ROUTERS = ["seoul_diplomacy.db_routers.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = env.REPLICA_MAX_LAG_SECONDS
REPLICA_CHECK_SECONDS = env.REPLICA_CHECK_SECONDS


# Redis (Django's own backend, with a circuit breaker: core.redis_cache) when REDIS_URL is set: shared by
# every app server, so a change bumps the page cache everywhere at once. Otherwise memory local to each process.
def redis_cache(url, key_prefix="seoul_diplomacy"):
    """A CACHES entry for the Redis at ``url``. A hung or dead Redis costs one request ``CACHE_TIMEOUT_MS`` at
    most, then is skipped for ``CACHE_RETRY_SECONDS``: pages are served uncached meanwhile."""
    return {
        "BACKEND": "core.redis_cache.FailFastRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {
            "socket_connect_timeout": env.CACHE_TIMEOUT_MS / 1000,
            "socket_timeout": env.CACHE_TIMEOUT_MS / 1000,
            "retry_after": env.CACHE_RETRY_SECONDS,
        },
    }


if env.REDIS_URL:
    CACHES = {"default": redis_cache(env.REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "seoul_diplomacy"}}

# The anonymous page cache (seoul_diplomacy.middleware.PageCacheMiddleware): seconds a page is kept,
# 0 for off. On by default only with Redis: a per-process memory cache could not be bumped by a change
# made in another process (another gunicorn worker, a management command).
PAGE_CACHE_SECONDS = env.PAGE_CACHE_SECONDS
# Template fragments that depend only on the content and the language ({% fragment %}, core.cache),
# kept in each process's memory under the content generation. On with Redis only, for the same reason
# as the page cache: the generation must be one number for every process.
FRAGMENT_CACHE = bool(env.REDIS_URL)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before any password check
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English at the unprefixed paths, Korean under /ko/ (seoul_diplomacy/urls.py: i18n_patterns).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
# What import_fixtures (dataio.importer) refuses, each with one line naming the file: a file larger than
# this many bytes, with more records, nested deeper (the list of records is level 1, a record 2, its
# fields 3), or with a text longer than this many characters (CharFields keep their own max_length, as
# in the admin). The shipped data set: 130 kB, 208 records, 5 levels, no text over 500 characters.
FIXTURE_MAX_BYTES = 50 * 1024 * 1024
FIXTURE_MAX_RECORDS = 500_000
FIXTURE_MAX_DEPTH = 20
FIXTURE_MAX_TEXT = 100_000

# Security headers on every response (HSTS, secure cookies and the HTTPS redirect are in production.py).
# The Content Security Policy allows only the site itself, and only what its pages use: style sheets,
# fonts and images from /static/; scripts and XHR for the admin (its own files and autocomplete).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "base-uri": [NONE],
        "connect-src": [SELF],
        "font-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "img-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Cross-Origin-Resource-Policy has no Django setting: seoul_diplomacy.middleware.SecurityHeadersMiddleware.
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"

# Sessions exist only for staff. They end after 30 minutes without a request (every request pushes the
# expiry on) or when the browser closes. Cookies are out of reach of scripts and of other sites' forms.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"

# Admin login throttling (django-axes). Five failures in a row for one account from one address lock
# that pair out, so the sixth attempt is refused even with the right password; the lock lifts 15 minutes
# after the last failure. Locking the pair, not the account alone, means an attacker elsewhere cannot
# lock staff out of their account. Every attempt is logged: in the "axes" logger (user name and address
# masked) and, with both, in the AccessLog and AccessFailureLog tables, shown in the admin.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "seoul_diplomacy.middleware.client_ip"
AXES_VERBOSE = False  # logs username and address of each attempt, without the start-up banner
# A refused login is answered in the site's design and language: 429 with Retry-After (the cool-off).
AXES_LOCKOUT_CALLABLE = "pages.views.login_lockout"
TRUSTED_PROXY_COUNT = env.TRUSTED_PROXY_COUNT

# Public list pages.
CASES_PER_PAGE = 20
CITIES_PER_PAGE = 25
SEARCH_RESULTS_PER_PAGE = 20  # /search/?kind=...

# To standard error, as text or (DJANGO_LOG_FORMAT=json) one JSON object a line with the request id.
LOGGING = observability.logging_config(env.LOG_FORMAT)
