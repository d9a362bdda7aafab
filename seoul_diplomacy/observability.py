"""What operators see: a request id on every request and log line, JSON logs as an option, and an
optional error report to Sentry (or a Sentry-compatible service: GlitchTip, Bugsink…).

- ``RequestIdMiddleware`` (first in ``MIDDLEWARE``) gives each request an id: the incoming
  ``X-Request-ID`` when a proxy in front set one that matches ``REQUEST_ID_PATTERN`` (letters, digits,
  ``.``, ``_``, ``-``; 8 to 64 characters: a UUID, nginx's ``$request_id``), else a new random one. It is
  sent back in the response's ``X-Request-ID`` (gunicorn's access log prints it: the Makefile) and is
  on every log record made while the request runs (``RequestIdFilter``: ``record.request_id``, "-"
  outside a request). Anything else a client sends there is ignored, so it cannot forge log lines.
- ``DJANGO_LOG_FORMAT=json``: ``JsonFormatter`` writes one JSON object per line (time, level, logger,
  message, request_id, and the traceback as ``exc_info``), for a log collector to parse.
- ``SENTRY_DSN``: ``init_sentry`` (called by settings/production.py only when it is set) starts the
  Sentry SDK, which reports unhandled errors and error log lines with their request id. Unset, the
  SDK is not even imported and nothing leaves the machine. It is an optional install (``.[sentry]``).
"""

import contextvars
import json
import logging
import re
import uuid

from django.core.exceptions import ImproperlyConfigured

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")
NO_REQUEST = "-"

_request_id = contextvars.ContextVar("seoul_diplomacy_request_id", default=NO_REQUEST)


def current_request_id():
    """The id of the request being served in this thread, "-" outside a request."""
    return _request_id.get()


def request_id_for(request):
    # From META, not request.headers: that builds a dict of every header, on every request.
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    if REQUEST_ID_PATTERN.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        token = _request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        if response is not None:  # None: PageCacheHits (seoul_diplomacy.middleware) has no copy to answer with
            response[REQUEST_ID_HEADER] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record, as ``request_id``: the id of the request the record
    names (Django logs 4xx and 5xx answers once the middleware are done, naming the request), else of the
    request being served."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(log_format):
    """The LOGGING setting: everything at INFO and above to standard error, as text or as JSON lines."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "seoul_diplomacy.observability.RequestIdFilter"}},
        "formatters": {
            "text": {"format": "%(message)s"},
            "json": {"()": "seoul_diplomacy.observability.JsonFormatter"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": log_format}},
        "root": {"handlers": ["console"], "level": "INFO"},
        "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "INFO"}},
    }


def _tag_request_id(event, hint):
    request_id = current_request_id()
    if request_id != NO_REQUEST:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init_sentry(dsn, environment):
    """Report errors to the Sentry-compatible service at ``dsn``; no personal data (addresses, cookies, users)."""
    try:
        import sentry_sdk
    except ImportError:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but the Sentry SDK is not installed: "
            "make serve RUNTIME_LOCK=requirements/runtime-sentry.txt"
        ) from None
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        traces_sample_rate=0,  # errors only, no performance tracing
        before_send=_tag_request_id,
    )
