"""The site's own middleware: a header Django has no setting for, the anonymous page cache, and the
requests whose reads may go to a replica. Their places in ``MIDDLEWARE`` are explained in settings/base.py.
"""

import functools
import hashlib
import logging
import re

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.core.signals import setting_changed
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import get_script_prefix, get_urlconf, reverse, set_script_prefix
from django.utils.http import parse_etags, urlencode
from django.utils.translation import get_language_from_path

from core.cache import GENERATION_KEY, UNDERSTOOD_PARAMETERS, FragmentCache, generation, remember_generation
from core.redis_cache import CacheUnavailable
from seoul_diplomacy import db_routers
from seoul_diplomacy.observability import RequestIdMiddleware

logger = logging.getLogger(__name__)

READ_METHODS = {"GET", "HEAD"}
# Response headers a cached page may vary on: it is served only to requests without a session, and
# nothing in a public page depends on the other cookies or on the encoding asked for. (Accept-Language
# too, where the URL alone decides the language: see language_fixed_by_url.)
HARMLESS_VARY = {"cookie", "accept-encoding"}
CACHE_STATUS_HEADER = "X-Page-Cache"
# Not part of a stored page: the request id is set outside the page cache for each request, and the
# cache's own status and ETag are set by it.
UNSTORED_HEADERS = {"x-request-id", CACHE_STATUS_HEADER.lower(), "etag"}
# Left off a 304: it has no body (as django.middleware.http.ConditionalGetMiddleware does).
BODY_HEADERS = {"content-type", "content-length"}
ACCEPTS_GZIP = re.compile(r"\bgzip\b", re.IGNORECASE)


def is_public_request(request):
    """A GET or HEAD outside the admin by a visitor without a session: an anonymous reader of the public site."""
    return (
        request.method in READ_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith(admin_prefix(get_urlconf(), get_script_prefix()))
    )


@functools.lru_cache(maxsize=16)
def admin_prefix(urlconf, script_prefix):
    """The admin's root path, reversed once per URLconf and script prefix instead of on every request."""
    return reverse("admin:index", urlconf=urlconf)


def _forget_admin_prefix(setting, **kwargs):
    if setting == "ROOT_URLCONF":  # a test's other URLconf may be a module already seen, rebuilt
        admin_prefix.cache_clear()


setting_changed.connect(_forget_admin_prefix, dispatch_uid="seoul_diplomacy.middleware.admin_prefix")


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


class StoredPage:
    """A stored page as read from the cache, ready to answer: its headers as ``HttpResponse`` keeps them
    (they were checked when the page was rendered), and those of a 304."""

    __slots__ = ("generation", "etag", "status", "header_store", "not_modified_headers", "content")

    def __init__(self, entry):
        self.generation, self.etag, self.status, headers, self.content = entry
        self.header_store = {name.lower(): (name, value) for name, value in headers}
        self.not_modified_headers = {name: value for name, value in headers if name.lower() not in BODY_HEADERS}

    def size(self):
        return len(self.content)


# Each process keeps a copy of the stored pages it served lately, the least recently served dropped past
# about 16 MB: a hit then reads only the generation from Redis (a few bytes instead of the page) and
# serves the copy when it was rendered under that generation. The copies are keyed by the cache's own key
# (its prefix included), and are only ever of entries read back from the cache (never of a page this
# process just rendered), so the processes serve what the cache holds, with its ETag.
local_pages = FragmentCache(max_chars=16_000_000, size=StoredPage.size)


class PageCacheMiddleware:
    """Answers anonymous readers of public pages from the cache; ``PAGE_CACHE_SECONDS`` = 0 turns it off.

    A page is stored only when it is a 200 with no cookie set and nothing private about it, for a request
    without a session (so never for staff) or message cookie, outside the admin, whose query parameters
    the view all reads (``core.cache.understands``): junk parameters never add an entry. Each entry holds
    the content generation (``core.cache``) current when its page was rendered, and is served only while
    the generation is still that one, so any change to content makes every stored page stale at once.
    When the cache is unreachable the page is rendered as if there were none.

    It sits just inside the request id (settings/base.py), above the header middleware: what it stores is
    the final response, every header set (security, CSP, frame options, language), and a hit is one Redis
    round trip (the generation and the entry, read together; only the generation when this process has a
    copy of the entry, ``local_pages``) and the stored bytes, without the work of anything below it.
    The entry also holds the page's ``ETag`` (sent on the miss as on every hit): a
    request whose ``If-None-Match`` names it gets a 304 without the body. The key holds the scheme
    (security headers differ between http and https) and whether the client takes gzip, so that a
    compressing middleware below it stores each encoding under its own key.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL

    def __call__(self, request):
        key = self.entry_key(request)
        if key is None:
            return self.get_response(request)
        try:
            # The generation is read before the view runs: a change made while it renders leaves
            # the page stored under the old number, which no request will accept.
            current, page = self.lookup(key)
        except CacheUnavailable:  # logged once by the backend when it failed (core.redis_cache)
            return self.get_response(request)
        except Exception:
            logger.exception("Page cache unreachable; rendering without it.")
            return self.get_response(request)
        remember_generation(request, current)  # the template fragments' cache reads the same number
        if page is not None:
            return self.thaw(request, page)
        response = self.get_response(request)
        if self.may_store(request, response):
            entry = self.freeze(current, response)
            try:
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            except CacheUnavailable:
                pass
            except Exception:
                logger.exception("Page cache unreachable; page not stored.")
            else:
                response["ETag"] = entry[1]
                response[CACHE_STATUS_HEADER] = "miss"
        return response

    def entry_key(self, request):
        """The cache key of the page ``request`` asks for, or None when the page cache may not answer it."""
        if not settings.PAGE_CACHE_SECONDS or not self.may_answer(request):
            return None
        try:
            return f"page-cache:page:{self.key(request)}"
        except SuspiciousOperation:
            return None  # too many query fields: the view's own handling answers 400

    def copy_hit(self, request):
        """The answer to ``request`` from this process's copy of its page, when it has one rendered under the
        current generation (one Redis round trip: the generation); else None, and the middleware does the rest.
        Raises what the cache raises."""
        key = self.entry_key(request)
        page = None if key is None else local_pages.get(cache.make_key(key))
        if page is None:
            return None
        (current,) = cache_values([GENERATION_KEY])
        if current != page.generation:
            return None
        return self.thaw(request, page)

    @staticmethod
    def lookup(key):
        """The current generation, and the page stored under ``key`` if it was rendered under that one (else
        None). One round trip: the generation alone when this process has a copy of the page, else the
        generation and the entry together; a second one only when the copy is out of date (once per page,
        process and content change)."""
        local_key = cache.make_key(key)
        page = local_pages.get(local_key)
        if page is not None:
            (current,) = cache_values([GENERATION_KEY])
            if current is not None and current == page.generation:
                return current, page
            stored = None if current is None else cache_values([key])[0]
        else:
            current, stored = cache_values([GENERATION_KEY, key])
        if current is None:
            current = generation()
        if stored is None or stored[0] != current:
            return current, None
        page = StoredPage(stored)
        local_pages.set(local_key, page)
        return current, page

    def may_answer(self, request):
        return (
            request.method in READ_METHODS
            and not request.path_info.startswith(self.static_prefix)  # whitenoise's, below
            and CookieStorage.cookie_name not in request.COOKIES
            and is_public_request(request)
        )

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
        if response.has_header("ETag") or response.has_header("Last-Modified"):
            return False  # a view with its own validators: not mixed with the cache's
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-cache", "no-store")):
            return False
        vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
        harmless = HARMLESS_VARY | ({"accept-language"} if language_fixed_by_url(request) else set())
        return vary <= harmless

    @staticmethod
    def key(request):
        """The scheme, whether the client takes gzip, the path and the query as parsed (so ``?a=1&&`` and
        ``?a=%31`` are ``?a=1``): GET and HEAD share an entry. Not the host: pages take every absolute link
        from SITE_URL, whatever the Host."""
        query = urlencode(list(request.GET.lists()), doseq=True)
        encoding = "gzip" if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else ""
        return hashlib.sha256(f"{request.scheme}:{encoding}:{request.path}?{query}".encode()).hexdigest()

    @staticmethod
    def freeze(current, response):
        """(generation, ETag, status, headers, body): the final bytes and headers, request id aside."""
        content = response.content
        etag = f'"{hashlib.blake2b(content, digest_size=16).hexdigest()}"'
        headers = [(name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS]
        headers.append(("ETag", etag))
        return (current, etag, response.status_code, tuple(headers), content)

    @staticmethod
    def thaw(request, page):
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match and (if_none_match.strip() == "*" or page.etag in parse_etags(if_none_match)):
            response = HttpResponseNotModified(headers=page.not_modified_headers)
        else:
            response = HttpResponse(page.content, status=page.status)
            # The stored headers as they were set when the page was rendered, in their order (Content-Type
            # among them), instead of checking each one's characters again.
            response.headers._store = page.header_store.copy()
        response[CACHE_STATUS_HEADER] = "hit"
        return response


class PageCacheHits:
    """The WSGI application in front of Django's (seoul_diplomacy/wsgi.py): answers the page cache's hits on
    pages this process keeps a copy of (``local_pages``), before Django's handler does anything.

    A hit through Django also pays for Django's handler: the request signals (each closes the database
    connections that are too old, though a hit uses none), the middleware chain and its wrappers, the
    URLconf set for the thread, the response turned into WSGI (bench/README.md, Throughput). Here a hit
    is the page cache middleware's own checks, key and response (``PageCacheMiddleware.copy_hit``), the
    request id as ``RequestIdMiddleware`` sets it, and the status line and headers as ``WSGIHandler``
    writes them: the same bytes and headers. Anything else (a miss, a page this process has no copy of, a
    copy out of date, the cache unreachable) goes to Django as before, and the middleware answers or
    renders it. Off unless the request id and the page cache are
    the first two middleware: nothing else may run before a hit.
    """

    FRONT_MIDDLEWARE = [
        "seoul_diplomacy.observability.RequestIdMiddleware",
        "seoul_diplomacy.middleware.PageCacheMiddleware",
    ]

    def __init__(self, application):
        self.application = application
        self.page_cache = PageCacheMiddleware(get_response=None)
        self.request_id = RequestIdMiddleware(self.copy_hit)

    def __call__(self, environ, start_response):
        response = None
        if settings.PAGE_CACHE_SECONDS and settings.MIDDLEWARE[:2] == self.FRONT_MIDDLEWARE:
            set_script_prefix(get_script_name(environ))  # as WSGIHandler does: the admin's path depends on it
            response = self.request_id(WSGIRequest(environ))
        if response is None:
            return self.application(environ, start_response)
        # As WSGIHandler answers (a stored page sets no cookie): the headers as response.items() gives them.
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.headers._store.values()))
        return [response.content]

    def copy_hit(self, request):
        try:
            return self.page_cache.copy_hit(request)
        except CacheUnavailable:  # logged once by the backend when it failed (core.redis_cache)
            return None
        except Exception:
            logger.exception("Page cache unreachable; rendering without it.")
            return None


def cache_values(keys):
    """The values of ``keys`` in the default cache, in order (None where missing), in one round trip:
    ``FailFastRedisCache.get_values`` in production, ``get_many`` on any other backend (development's)."""
    if hasattr(cache, "get_values"):
        return cache.get_values(keys)
    found = cache.get_many(keys)
    return [found.get(key) for key in keys]


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
