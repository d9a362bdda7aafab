"""When the database fails: a 503 page instead of a 500 or a hang, and one retry of a read that lost its
connection mid-query.

``DatabaseUnavailableMiddleware`` sits last in ``MIDDLEWARE`` (innermost), so its ``process_exception``
sees first what a view, or the rendering of its template, raised:

- an ``OperationalError`` or ``InterfaceError`` (no connection within ``DJANGO_DB_CONNECT_TIMEOUT``, a
  statement cancelled after ``DJANGO_DB_STATEMENT_TIMEOUT_MS``, a connection lost) answers 503 with
  ``Retry-After``: the page ``503.html``, rendered from the template alone, without the request's
  context or the database. Other database errors (``IntegrityError``, ``ProgrammingError``) are bugs and
  stay 500s.
- a GET or HEAD whose connection died under it (the server restarted, PgBouncer or an operator ended the
  backend) is run once more, on a fresh connection, before anything was sent: such a request only reads,
  so running it twice is safe. Only when a connection that was open is now unusable, outside any
  transaction: a failed *new* connection (the database is down or hung) or a cancelled statement (the
  database is overloaded) is not retried, as a second try would only double the wait.

Errors raised outside a view (in a middleware) are not seen here and remain 500s; the views are where
the reads are. Streaming responses (the exports) that fail after their first bytes cannot be retried.
"""

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

UNAVAILABLE = (OperationalError, InterfaceError)
SAFE_METHODS = {"GET", "HEAD"}
RETRY_AFTER_SECONDS = 30
# Should even the template fail to render.
FALLBACK = (
    b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Service unavailable</title></head>"
    b"<body><h1>Service unavailable</h1><p>Please try again in a minute.</p></body></html>"
)


def unavailable_response():
    """The 503 page, in the active language, from nothing the request controls."""
    try:
        content = render_to_string("503.html")
    except Exception:
        logger.exception("The 503 page could not be rendered; sending the plain one.")
        content = FALLBACK
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def close_lost_connections():
    """Close every open connection that no longer works, outside a transaction; True if there was one."""
    lost = False
    for connection in connections.all(initialized_only=True):
        if connection.connection is None or connection.in_atomic_block:
            continue
        if not connection.is_usable():
            connection.close()
            lost = True
    return lost


class RetryMarker(HttpResponse):
    """What ``process_exception`` hands back to ``__call__`` to ask for the view to run again."""


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, RetryMarker):
            logger.warning("Database connection lost during %s %s; running it once more.", request.method, request.path)
            response = self.get_response(request)
            if isinstance(response, RetryMarker):  # cannot happen: the retry is asked for once at most
                response = unavailable_response()
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, UNAVAILABLE):
            return None
        # Closed now rather than at the end of the request: the retry, or the next request, connects afresh.
        lost = close_lost_connections()
        if lost and request.method in SAFE_METHODS and not getattr(request, "_database_retried", False):
            request._database_retried = True
            return RetryMarker(status=503)
        logger.error(
            "Database unavailable during %s %s: answering 503.", request.method, request.path, exc_info=exception
        )
        return unavailable_response()
