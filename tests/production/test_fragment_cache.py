"""The caches that make pages cheap leave them byte for byte as they were: template fragments cached per
content generation ({% fragment %}, core.cache), and the page cache's stored final response and ETag."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.cache import FragmentCache, content_changed, fragments
from projects.models import Case
from tests.production.test_cache import HIT, MISS, cache_status, page_cache  # noqa: F401 (a fixture)

# Set for each request, never stored: every other header of a page is the same whichever cache answered.
PER_REQUEST_HEADERS = {"X-Request-ID", "X-Page-Cache"}


@pytest.fixture
def site(make_case, make_city, make_country, make_result, make_sector, sister_city):
    sector = make_sector("transportation")
    country = make_country("PH", "Philippines")
    city = make_city("manila", country=country, name="Manila", latitude=14.6, longitude=121.0)
    case = make_case("manila-card", title="Manila transportation card", sector=sector, country=country, cities=[city])
    make_case("manila-water", title="Manila water", sector=sector, country=country, cities=[city, sister_city])
    make_result(cities_ranked=42)
    return case


def pages(case):
    with translation.override("en"):  # a request to a Korean page leaves Korean active in the thread
        urls = [
            reverse("home"),
            reverse("projects:case_list"),
            reverse("projects:case_list") + "?sector=transportation&country=PH",
            reverse("projects:city_list"),
            case.get_absolute_url(),
            reverse("rankings:index_detail", args=["gpci"]),
            reverse("projects:case_list") + "?year_from=abc",  # a 400 page
            "/no-such-page/",
        ]
    with translation.override("ko"):
        korean = [case.get_absolute_url(), reverse("home"), reverse("projects:case_list")]
    assert all(url.startswith("/ko/") for url in korean)
    return urls + korean


def headers(response):
    return {name: value for name, value in response.items() if name not in PER_REQUEST_HEADERS}


@pytest.fixture
def fragment_cache(settings):
    settings.FRAGMENT_CACHE = True
    fragments.clear()
    yield
    fragments.clear()


def test_cached_fragments_leave_every_page_as_it_was(client, site, settings, fragment_cache):
    urls = pages(site)
    settings.FRAGMENT_CACHE = False
    plain = {url: client.get(url) for url in urls}
    settings.FRAGMENT_CACHE = True
    cold = {url: client.get(url) for url in urls}
    assert len(fragments.entries) >= 12  # the pages' fragments in both languages, and the case rows
    warm = {url: client.get(url) for url in urls}
    for url, response in plain.items():
        assert response.status_code == (400 if "abc" in url else 404 if "no-such" in url else 200), url
        assert cold[url].status_code == warm[url].status_code == response.status_code, url
        assert cold[url].content == response.content, url
        assert warm[url].content == response.content, url
        assert headers(warm[url]) == headers(response), url


def test_a_warm_fragment_runs_no_query_of_its_own(client, site, fragment_cache, django_assert_max_num_queries):
    client.get(reverse("home"))
    with django_assert_max_num_queries(0):  # home's figures, map, sectors, rankings and newest cases
        client.get(reverse("home"))


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_warm_detail_page_reads_only_its_own_row(client, site, fragment_cache, language, django_assert_num_queries):
    """A case's cities, related cases and map, and an index's results and chart, are read where the cached
    fragment is drawn: from a warm fragment the page reads the case (or the index) and nothing else."""
    with translation.override(language):
        urls = [site.get_absolute_url(), reverse("rankings:index_detail", args=["gpci"])]
    for url in urls:
        first = client.get(url)
        with django_assert_num_queries(1):
            again = client.get(url)
        assert again.status_code == 200 and again.content == first.content, url


def test_a_warm_list_reads_its_filters_choices_once_per_content_change(
    client, site, fragment_cache, make_case, make_country, settings, django_assert_num_queries
):
    """The filters' choices (sectors, countries, categories, cities) are the same for every page until the
    content changes: a list page drawn from warm fragments reads none of them, and a case in a new country
    adds that country to the next page's choices."""
    settings.FACET_CACHE_SECONDS = 600  # as with production's shared cache: the counts are kept too
    url = reverse("projects:case_list")
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200
    make_case("hanoi-card", title="Hanoi card", country=make_country("VN", "Viet Nam"))
    assert b'value="VN"' in client.get(url).content


def test_a_content_change_shows_at_once_in_every_fragment(client, site, fragment_cache):
    urls = [reverse("home"), reverse("projects:case_list"), site.get_absolute_url()]
    for url in urls:
        assert b"Manila transportation card" in client.get(url).content
    site.title = "Manila smart card"
    site.save()
    for url in urls:
        content = client.get(url).content
        assert b"Manila smart card" in content and b"Manila transportation card" not in content, url
    Case.objects.filter(pk=site.pk).update(title="Manila bulk card")  # no signal: the code calls content_changed
    content_changed()
    assert b"Manila bulk card" in client.get(site.get_absolute_url()).content


def test_the_filter_panel_follows_the_query(client, site, fragment_cache):
    everything = client.get(reverse("projects:case_list")).content
    filtered = client.get(reverse("projects:case_list") + "?country=PH").content
    checked = re.compile(rb'<input[^>]*value="PH"[^>]*checked|<input[^>]*checked[^>]*value="PH"')
    assert not checked.search(everything) and checked.search(filtered)


def test_staff_get_no_cached_fragment(client, admin_client, site, fragment_cache):
    admin_client.get(site.get_absolute_url())
    assert not fragments.entries
    client.get(site.get_absolute_url())
    assert fragments.entries


def test_a_cached_page_has_the_headers_and_bytes_of_the_rendered_one(client, site, page_cache):  # noqa: F811
    url = site.get_absolute_url()
    first, second = client.get(url), client.get(url)
    assert (cache_status(first), cache_status(second)) == (MISS, HIT)
    assert second.content == first.content
    assert headers(second) == headers(first)
    assert first["ETag"].startswith('"') and first["X-Request-ID"] != second["X-Request-ID"]


def test_an_unchanged_page_is_a_304_when_the_client_has_it(client, site, page_cache):  # noqa: F811
    url = site.get_absolute_url()
    etag = client.get(url)["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "default-src 'none'" in again["Content-Security-Policy"]
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    site.title = "Manila smart card"
    site.save()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and b"Manila smart card" in changed.content
    assert changed["ETag"] != etag


def test_http_and_https_pages_are_stored_apart(client, site, page_cache, settings):  # noqa: F811
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    url = site.get_absolute_url()
    secure = [client.get(url, headers={"X-Forwarded-Proto": "https"}) for _ in range(2)]
    plain = client.get(url)
    assert [cache_status(response) for response in secure] == [MISS, HIT]
    assert "Strict-Transport-Security" in secure[1]
    assert cache_status(plain) == MISS and "Strict-Transport-Security" not in plain


def test_static_files_are_left_to_whitenoise(client, page_cache):  # noqa: F811
    response = client.get("/static/css/site.css")
    assert response.status_code == 200 and cache_status(response) is None


def test_the_fragments_a_process_keeps_stay_within_their_bound():
    kept = FragmentCache(max_chars=100)
    for number in range(50):
        kept.set(("fragment", number), "x" * 30)
        kept.get(("fragment", 0))  # the most used stays
    assert kept.chars <= 100 and len(kept.entries) == 3
    assert kept.get(("fragment", 0)) and kept.get(("fragment", 49))
