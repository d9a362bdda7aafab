"""The site's own middleware: a header Django has no setting for, the anonymous page cache, and the
requests whose reads may go to a replica. Their places in ``MIDDLEWARE`` are explained in settings/base.py.
"""

import hashlib
import logging

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language_from_path

from core.cache import UNDERSTOOD_PARAMETERS, generation
from core.redis_cache import CacheUnavailable
from seoul_diplomacy import db_routers

logger = logging.getLogger(__name__)

READ_METHODS = {"GET", "HEAD"}
# Response headers a cached page may vary on: it is served only to requests without a session, and
# nothing in a public page depends on the other cookies or on the encoding asked for. (Accept-Language
# too, where the URL alone decides the language: see language_fixed_by_url.)
HARMLESS_VARY = {"cookie", "accept-encoding"}
CACHE_STATUS_HEADER = "X-Page-Cache"


def is_public_request(request):
    """A GET or HEAD outside the admin by a visitor without a session: an anonymous reader of the public site."""
    return (
        request.method in READ_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(reverse("admin:index"))
    )


def language_fixed_by_url(request):
    """Whether LocaleMiddleware takes the page's language from its URL alone.

    So it does for a path with a language prefix (/ko/...), and for any other path when the URLs use
    ``i18n_patterns`` without a prefix for the default language: then the browser's Accept-Language
    and language cookie change nothing, though LocaleMiddleware still adds "Vary: Accept-Language".
    """
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    patterns_used, default_prefixed = is_language_prefix_patterns_used(urlconf)
    return bool(get_language_from_path(request.path_info)) or (patterns_used and not default_prefixed)


def client_ip(request):
    """The visitor's address, as login throttling counts it (``AXES_CLIENT_IP_CALLABLE``).

    Behind ``TRUSTED_PROXY_COUNT`` proxies, the address the outermost proxy saw: the proxies append to
    X-Forwarded-For, so it is counted from the right (a client can write anything on the left). Without
    proxies, the address of the connection.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


class SecurityHeadersMiddleware:
    """Sets Cross-Origin-Resource-Policy (``CROSS_ORIGIN_RESOURCE_POLICY``) on every response, static files too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY)
        return response


class PageCacheMiddleware:
    """Answers anonymous readers of public pages from the cache; ``PAGE_CACHE_SECONDS`` = 0 turns it off.

    A page is stored only when it is a 200 with no cookie set and nothing private about it, for a request
    without a session (so never for staff) or message cookie, outside the admin, whose query parameters
    the view all reads (``core.cache.understands``): junk parameters never add an entry. Its key holds the
    content generation (``core.cache``), so any change to content makes every stored page
    stale at once. When the cache is unreachable the page is rendered as if there were none.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS or not self.may_answer(request):
            return self.get_response(request)
        try:
            key = self.key(request)
        except SuspiciousOperation:
            return self.get_response(request)  # too many query fields: the view's own handling answers 400
        try:
            # The generation is read before the view runs: a change made while it renders leaves
            # the page under the old number, where no one will look for it.
            key = f"page-cache:page:{generation()}:{key}"
            stored = cache.get(key)
        except CacheUnavailable:  # logged once by the backend when it failed (core.redis_cache)
            return self.get_response(request)
        except Exception:
            logger.exception("Page cache unreachable; rendering without it.")
            return self.get_response(request)
        if stored is not None:
            return self.thaw(stored)
        response = self.get_response(request)
        if self.may_store(request, response):
            try:
                cache.set(key, self.freeze(response), settings.PAGE_CACHE_SECONDS)
            except CacheUnavailable:
                pass
            except Exception:
                logger.exception("Page cache unreachable; page not stored.")
            else:
                response[CACHE_STATUS_HEADER] = "miss"
        return response

    @staticmethod
    def may_answer(request):
        return is_public_request(request) and CookieStorage.cookie_name not in request.COOKIES

    @staticmethod
    def may_store(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        # A parameter the view does not read (utm_source, a scanner's junk) would make a new entry for
        # the same page; such a page is rendered every time instead (core.cache.understands).
        if not set(request.GET) <= getattr(request, UNDERSTOOD_PARAMETERS, frozenset()):
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-cache", "no-store")):
            return False
        vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
        harmless = HARMLESS_VARY | ({"accept-language"} if language_fixed_by_url(request) else set())
        return vary <= harmless

    @staticmethod
    def key(request):
        """The path and the query as parsed (so ``?a=1&&`` and ``?a=%31`` are ``?a=1``): GET and HEAD
        share an entry. Not the host: pages take every absolute link from SITE_URL, whatever the Host."""
        query = urlencode(list(request.GET.lists()), doseq=True)
        return hashlib.sha256(f"{request.path}?{query}".encode()).hexdigest()

    @staticmethod
    def freeze(response):
        return {"status": response.status_code, "headers": list(response.items()), "content": response.content}

    @staticmethod
    def thaw(stored):
        response = HttpResponse(stored["content"], status=stored["status"])
        for name, value in stored["headers"]:
            response[name] = value
        response[CACHE_STATUS_HEADER] = "hit"
        return response


class PublicReadsMiddleware:
    """Lets the database router send the reads of anonymous public requests to a replica, if there is one.

    Staff (any request with a session), the admin and every write stay on the primary, so staff always
    read what they have just saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_request(request):
            return self.get_response(request)
        with db_routers.public_reads():
            return self.get_response(request)
