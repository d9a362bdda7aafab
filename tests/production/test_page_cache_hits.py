"""The page cache's hits answered in front of Django (seoul_diplomacy.middleware.PageCacheHits, the WSGI
application gunicorn serves): the same status, headers and bytes as Django's own answer, and a change to
content still reaches the next request. Against the real Redis, as tests/production/test_cache.py."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from core.cache import GENERATION_KEY
from core.redis_cache import CacheUnavailable, FailFastRedisCache
from seoul_diplomacy.middleware import PageCacheHits, local_pages
from tests.production.test_cache import HIT, MISS, page_cache  # noqa: F401 (a fixture)
from tests.production.test_fragment_cache import pages, site  # noqa: F401 (a fixture)

PER_REQUEST_HEADERS = {"x-request-id", "x-page-cache"}


class Answer:
    def __init__(self, status, headers, body, through_django):
        self.status, self.headers, self.body, self.through_django = status, headers, body, through_django

    def header(self, name):
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    def lasting_headers(self):
        """Every header but the request id and the cache's status, in the order sent."""
        return [(name, value) for name, value in self.headers if name.lower() not in PER_REQUEST_HEADERS]


@pytest.fixture
def serve():
    """A request to the site as gunicorn makes it: through ``PageCacheHits`` in front of Django's handler.
    As Django's test client does, the request's signals do not close the database connection: on
    PostgreSQL that would end the test's transaction (SQLite's in-memory database ignores it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield make_server()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def make_server():
    application = PageCacheHits(WSGIHandler())
    factory = RequestFactory()

    def serve(url, **headers):
        started = []

        def count(**kwargs):
            started.append(True)

        def start_response(status, response_headers, exc_info=None):
            sent.extend([status, response_headers])

        sent = []
        request_started.connect(count)
        try:
            result = application(factory.get(url, headers=headers).environ, start_response)
            body = b"".join(result)
            if hasattr(result, "close"):
                result.close()
        finally:
            request_started.disconnect(count)
        return Answer(sent[0], sent[1], body, through_django=bool(started))

    return serve


def test_a_hit_in_front_of_django_is_what_django_answers(site, page_cache, serve):  # noqa: F811
    for url in pages(site):
        miss, hit, front = serve(url), serve(url), serve(url)
        if not miss.status.startswith("200"):  # the 400 and the 404: never stored, always Django's
            assert miss.header("X-Page-Cache") is None and front.through_django, url
            assert (front.status, front.body) == (miss.status, miss.body), url
            continue
        assert (miss.header("X-Page-Cache"), hit.header("X-Page-Cache"), front.header("X-Page-Cache")) == (
            MISS,
            HIT,
            HIT,
        ), url
        assert miss.through_django and hit.through_django and not front.through_django, url
        assert front.status == hit.status == miss.status, url
        assert front.body == hit.body == miss.body, url
        assert front.lasting_headers() == hit.lasting_headers() == miss.lasting_headers(), url
        # Every header in the same place, the request id last, as Django sends it.
        assert [name for name, _ in front.headers] == [name for name, _ in hit.headers], url
        assert front.header("X-Request-ID") not in (hit.header("X-Request-ID"), None), url


def test_an_unchanged_page_is_the_same_304_in_front_of_django(site, page_cache, serve):  # noqa: F811
    url = site.get_absolute_url()
    etag = serve(url).header("ETag")
    local_pages.clear()
    through_django = serve(url, if_none_match=etag)
    front = serve(url, if_none_match=etag)
    assert through_django.through_django and not front.through_django
    assert front.status == through_django.status == "304 Not Modified"
    assert front.body == through_django.body == b""
    assert front.lasting_headers() == through_django.lasting_headers()


def test_a_content_change_reaches_the_next_request(site, page_cache, serve):  # noqa: F811
    url = site.get_absolute_url()
    serve(url), serve(url)
    assert not serve(url).through_django
    site.title = "Manila smart card"
    site.save()
    changed = serve(url)
    assert changed.through_django and b"Manila smart card" in changed.body
    assert changed.header("X-Page-Cache") in (HIT, MISS)  # this process's copy is out of date: Django answers
    assert b"Manila smart card" in serve(url).body


def test_staff_and_message_cookies_are_never_answered_in_front(site, page_cache, serve, settings):  # noqa: F811
    url = site.get_absolute_url()
    serve(url), serve(url)
    assert not serve(url).through_django
    answer = serve(url, cookie=f"{settings.SESSION_COOKIE_NAME}=abc")
    assert answer.through_django and answer.header("X-Page-Cache") is None
    assert serve(url, cookie="messages=abc").through_django


def test_the_request_id_a_proxy_sent_comes_back(site, page_cache, serve):  # noqa: F811
    url = site.get_absolute_url()
    serve(url), serve(url)
    front = serve(url, x_request_id="proxy-request-0001")
    assert not front.through_django and front.header("X-Request-ID") == "proxy-request-0001"
    forged = serve(url, x_request_id="bad id\x7f")
    assert not forged.through_django and forged.header("X-Request-ID") != "bad id\x7f"


def test_without_the_cache_django_answers(site, page_cache, serve, monkeypatch):  # noqa: F811
    url = site.get_absolute_url()
    first = serve(url)
    serve(url)

    def unreachable(self, keys):
        raise CacheUnavailable("Redis down")

    monkeypatch.setattr(FailFastRedisCache, "get_values", unreachable)
    answer = serve(url)
    assert answer.through_django and answer.status.startswith("200") and answer.body == first.body
    assert answer.header("X-Page-Cache") is None


def test_off_unless_the_page_cache_comes_right_after_the_request_id(site, page_cache, serve, settings):  # noqa: F811
    url = site.get_absolute_url()
    serve(url), serve(url)
    settings.MIDDLEWARE = [settings.MIDDLEWARE[1], settings.MIDDLEWARE[0], *settings.MIDDLEWARE[2:]]
    assert serve(url).through_django


def test_a_hit_on_a_page_the_process_keeps_is_one_small_redis_read(site, page_cache, serve, monkeypatch):  # noqa: F811
    url = site.get_absolute_url()
    serve(url), serve(url)
    reads = []
    get_values = FailFastRedisCache.get_values

    def counted(self, keys):
        values = get_values(self, keys)
        reads.append((list(keys), values))
        return values

    monkeypatch.setattr(FailFastRedisCache, "get_values", counted)
    assert not serve(url).through_django
    assert len(reads) == 1 and reads[0][0] == [GENERATION_KEY] and isinstance(reads[0][1][0], int)


def test_gunicorn_serves_the_site_through_it():
    from seoul_diplomacy import wsgi

    assert isinstance(wsgi.application, PageCacheHits) and wsgi.application.application is wsgi.django_application
