"""The anonymous page cache, against the real Redis on 127.0.0.1:6379 (or REDIS_URL).

Without a reachable Redis these tests are skipped with a loud message, except where the CI variable
is set: there they fail, because CI must prove the cache against the real thing.
"""

import uuid
import warnings

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from core.cache import GENERATION_KEY, content_changed, generation
from core.content import Status
from projects.models import Case
from seoul_diplomacy import env

REDIS_URL = env.REDIS_URL or "redis://127.0.0.1:6379/0"
HIT, MISS = "hit", "miss"


def redis_client():
    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def require_redis():
    try:
        redis_client().ping()
    except redis.exceptions.RedisError as error:
        message = f"NO REDIS AT {REDIS_URL} ({error}): THE PAGE CACHE TESTS DID NOT RUN."
        if env.CI:
            pytest.fail(message + " CI must run them: start Redis.")
        warnings.warn(message, stacklevel=2)
        pytest.skip(message)


@pytest.fixture
def page_cache(settings):
    """Django's Redis backend, as production configures it, under a key prefix no other run shares."""
    require_redis()
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.redis_cache.FailFastRedisCache",  # as production configures it
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.PAGE_CACHE_SECONDS = 60
    yield prefix
    client = redis_client()
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def case(make_case, make_city, make_country):
    city = make_city("bangkok", country=make_country("TH", "Thailand"), name="Bangkok")
    return make_case("bangkok-card", title="Bangkok transportation card", cities=[city])


def cache_status(response):
    return response.get("X-Page-Cache")


def admin_form_data(admin_client, obj):
    """What the admin change form of ``obj`` would post back unchanged."""
    opts = obj._meta
    response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        else:
            data[name] = "" if value is None else str(value)
    return data


def test_an_anonymous_page_is_served_from_redis_the_second_time(client, page_cache, case):
    first = client.get(case.get_absolute_url())
    second = client.get(case.get_absolute_url())
    assert (cache_status(first), cache_status(second)) == (MISS, HIT)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "default-src 'none'" in second["Content-Security-Policy"]  # headers are added to hits too
    assert any(redis_client().scan_iter(f"{page_cache}:*page-cache:page:*"))


def test_an_edit_in_the_admin_shows_on_the_next_request(client, admin_client, page_cache, case):
    assert b"Bangkok transportation card" in client.get(case.get_absolute_url()).content
    assert cache_status(client.get(reverse("projects:case_list"))) == MISS
    data = admin_form_data(admin_client, case)
    data["title"] = "Bangkok smart card"
    response = admin_client.post(reverse("admin:projects_case_change", args=[case.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    detail = client.get(case.get_absolute_url())
    assert cache_status(detail) == MISS
    assert b"Bangkok smart card" in detail.content
    assert b"Bangkok smart card" in client.get(reverse("projects:case_list")).content


def test_a_history_revert_shows_on_the_next_request(client, page_cache, case):
    case.title = "Renamed case"
    case.save()
    assert b"Renamed case" in client.get(case.get_absolute_url()).content
    case.history.earliest().instance.save()  # what the admin's "Revert" button does
    assert b"Bangkok transportation card" in client.get(case.get_absolute_url()).content


def test_a_deletion_and_an_unpublishing_show_at_once(client, page_cache, case, make_case):
    other = make_case("other-case", title="Another case", sector=case.sector, country=case.country)
    client.get(reverse("projects:case_list"))
    assert cache_status(client.get(reverse("projects:case_list"))) == HIT
    other.delete()
    assert b"Another case" not in client.get(reverse("projects:case_list")).content
    case.status = Status.DRAFT
    case.save()
    assert client.get(case.get_absolute_url()).status_code == 404


def test_a_change_of_cities_shows_on_the_city_page(client, page_cache, case, make_city):
    city = make_city("hanoi", name="Hanoi")
    assert b"Bangkok transportation card" not in client.get(city.get_absolute_url()).content
    case.cities.add(city)
    assert b"Bangkok transportation card" in client.get(city.get_absolute_url()).content


def test_bulk_writes_call_content_changed(client, page_cache, case):
    client.get(reverse("projects:case_list"))
    Case.objects.filter(pk=case.pk).update(title="Bulk renamed")  # no signal
    assert b"Bulk renamed" not in client.get(reverse("projects:case_list")).content  # still the cached page
    content_changed()
    assert b"Bulk renamed" in client.get(reverse("projects:case_list")).content


def test_staff_never_get_a_cached_page(client, admin_client, page_cache, case):
    client.get(case.get_absolute_url())
    assert cache_status(client.get(case.get_absolute_url())) == HIT
    for _ in range(2):
        assert cache_status(admin_client.get(case.get_absolute_url())) is None


def test_a_request_with_a_session_cookie_is_never_answered_from_the_cache(client, page_cache, case, settings):
    client.get(case.get_absolute_url())
    client.cookies[settings.SESSION_COOKIE_NAME] = "anything"
    assert cache_status(client.get(case.get_absolute_url())) is None


def test_errors_the_admin_and_pages_that_set_cookies_are_never_stored(client, page_cache, case):
    for url in ["/no-such-page/", reverse("projects:case_list") + "?year_from=abc", reverse("admin:login")]:
        client.get(url)
        assert cache_status(client.get(url)) is None, url
    assert client.get(reverse("admin:login")).cookies  # the CSRF cookie: one more reason never to store it


def test_each_language_has_its_own_pages_whatever_the_browser_asks(client, page_cache, case):
    with translation.override("ko"):
        korean_url = reverse("projects:case_list")
    english_url = reverse("projects:case_list")
    if korean_url == english_url:
        pytest.skip("the site has no per-language URLs")
    english = client.get(english_url, headers={"Accept-Language": "ko"})
    korean = client.get(korean_url)
    assert (cache_status(english), cache_status(korean)) == (MISS, MISS)
    assert english["Content-Language"] == "en" and korean["Content-Language"] == "ko"
    again = client.get(english_url, headers={"Accept-Language": "ko"})
    assert cache_status(again) == HIT and again["Content-Language"] == "en"
    assert cache_status(client.get(korean_url, headers={"Accept-Language": "en"})) == HIT


def test_the_generation_never_goes_back(page_cache):
    before = generation()
    content_changed()
    assert generation() == before + 1
    cache.delete(GENERATION_KEY)  # Redis restarted, or evicted the key
    assert generation() > before + 1


def test_without_redis_pages_are_still_served_and_saves_still_work(client, settings, case):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.PAGE_CACHE_SECONDS = 60
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200 and cache_status(response) is None
    case.title = "Saved while Redis is down"
    case.save()
    assert b"Saved while Redis is down" in client.get(case.get_absolute_url()).content


def test_the_page_cache_is_off_unless_asked_for(client, case, settings):
    assert settings.PAGE_CACHE_SECONDS == 0
    client.get(case.get_absolute_url())
    assert cache_status(client.get(case.get_absolute_url())) is None


def page_entries(prefix):
    return set(redis_client().scan_iter(f"{prefix}:*page-cache:page:*"))


def test_junk_parameters_never_add_an_entry(client, page_cache, case):
    """A scanner's or a tracker's parameters the page does not read: 12 requests a page, no new entry (an entry
    may expire meanwhile on a slow machine, so the test asks for no key that was not there before)."""
    list_url = reverse("projects:case_list")
    for url in [list_url, case.get_absolute_url(), "/"]:
        client.get(url)
        before = page_entries(page_cache)
        for number in range(12):
            response = client.get(f"{url}?junk{number}=x&utm_source={number}&fbclid={number}")
            assert response.status_code == 200 and cache_status(response) is None, url
        assert page_entries(page_cache) <= before, url


def test_the_parameters_a_page_reads_are_cached_once_however_written(client, page_cache, case):
    list_url = reverse("projects:case_list")
    before = page_entries(page_cache)
    assert cache_status(client.get(f"{list_url}?sector={case.sector.slug}")) == MISS
    # The same query written differently is the same entry; the format of a detail page is read.
    assert cache_status(client.get(f"{list_url}?sector={case.sector.slug}&&")) == HIT
    assert cache_status(client.get(f"{list_url}?%73ector={case.sector.slug}")) == HIT
    assert cache_status(client.get(f"{case.get_absolute_url()}?format=json")) == MISS
    assert len(page_entries(page_cache) - before) == 2


def test_a_field_flood_is_a_400_with_the_cache_on(client, page_cache, case):
    flood = "&".join(["a"] * 1001)
    for url in ["/", reverse("projects:case_list")]:
        response = client.get(f"{url}?{flood}")
        assert response.status_code == 400, url
        assert "Bad request" in response.content.decode()
    assert not page_entries(page_cache)
