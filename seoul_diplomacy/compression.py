"""Gzip for the public pages, never for a response that could carry a secret (docs/deployment.md, Performance).

BREACH recovers a secret from a compressed response's length when the page also reflects what an attacker
sends. The public pages hold no secret for an anonymous visitor: no CSRF token (the search and filter forms
are GET), no session. So a response is compressed only when the request has no session cookie (staff's
pages show drafts and their own names) and rendering it asked for no CSRF token (the admin's login form:
its response sets the CSRF cookie);
Django's own GZipMiddleware does the rest, with its Heal-the-BREACH random padding on top. Only text
(HTML, JSON, CSV, XML feeds) is compressed: the data archive is a zip already. Static files never get here:
whitenoise, above this in MIDDLEWARE, answers them with its precompressed copies.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware

TEXT_TYPES = ("text/", "application/json", "application/xml", "application/rss+xml", "application/atom+xml")


class PublicGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        # CsrfViewMiddleware (re)sets its cookie on exactly the responses whose rendering asked for a token.
        if settings.SESSION_COOKIE_NAME in request.COOKIES or settings.CSRF_COOKIE_NAME in response.cookies:
            return response
        if not response.get("Content-Type", "").startswith(TEXT_TYPES):
            return response
        return super().process_response(request, response)
