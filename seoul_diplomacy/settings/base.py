"""Settings shared by every environment. The environment is read in ``seoul_diplomacy.env``."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from seoul_diplomacy import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env.SECRET_KEY
DEBUG = env.DEBUG
ALLOWED_HOSTS = env.ALLOWED_HOSTS

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
]

# The apps whose models are the site's content (core.content.content_models), in dependency order.
CONTENT_APPS = ("projects", "rankings")

# Outermost first. Security headers wrap everything, static files included; the page cache sits inside
# them (a cached page still gets fresh headers) and outside sessions, CSRF and auth (it sees their
# cookies, and a hit costs none of their work); axes last, as its documentation asks.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "seoul_diplomacy.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "seoul_diplomacy.middleware.PageCacheMiddleware",
    "seoul_diplomacy.middleware.PublicReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
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
]

WSGI_APPLICATION = "seoul_diplomacy.wsgi.application"


def database(url):
    """A DATABASES entry; PostgreSQL connections persist between requests and are checked before reuse."""
    config = dj_database_url.parse(url)
    if config["ENGINE"] == "django.db.backends.postgresql":
        config.update(CONN_MAX_AGE=env.CONN_MAX_AGE, CONN_HEALTH_CHECKS=True)
    return config


# SQLite in the project folder unless DATABASE_URL names another database.
DATABASES = {"default": database(env.DATABASE_URL or f"sqlite:///{env.SQLITE_PATH or BASE_DIR / 'db.sqlite3'}")}

# A read replica, when there is one: anonymous public pages read from it, everything else uses default.
if env.DATABASE_REPLICA_URL:
    DATABASES["replica"] = database(env.DATABASE_REPLICA_URL)
    DATABASE_ROUTERS = ["seoul_diplomacy.db_routers.ReplicaRouter"]

# Redis (Django's own backend) when REDIS_URL is set: shared by every app server, so a change bumps
# the page cache everywhere at once. Otherwise memory local to each process.
if env.REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.REDIS_URL,
            "KEY_PREFIX": "seoul_diplomacy",
            # An unreachable Redis costs a request half a second at most; the page cache then steps aside.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "seoul_diplomacy"}}

# The anonymous page cache (seoul_diplomacy.middleware.PageCacheMiddleware): seconds a page is kept,
# 0 for off. On by default only with Redis: a per-process memory cache could not be bumped by a change
# made in another process (another gunicorn worker, a management command).
PAGE_CACHE_SECONDS = env.PAGE_CACHE_SECONDS

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
TRUSTED_PROXY_COUNT = env.TRUSTED_PROXY_COUNT

# Public list pages.
CASES_PER_PAGE = 20
CITIES_PER_PAGE = 25
SEARCH_RESULTS_PER_PAGE = 20  # /search/?kind=...

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "INFO"}},
}
