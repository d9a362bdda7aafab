"""What Internet scanners send all day: disallowed hosts, floods of query fields, paths that look like
another host, HEAD. Each gets a proper answer (400, 404, 200), never a 500, and no link off the site."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.links import absolute_url

FLOOD = "&".join(["a"] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
LINK = re.compile(r'<(?:a|link)\b[^>]*\bhref="([^"]*)"|<meta\b[^>]*\bcontent="((?:https?:)?//[^"]*)"')


def request(client, path, query="", **meta):
    """A request with the raw path as sent: the test client would parse //evil.example/ as a host."""
    return client.generic("GET", "/", **{"PATH_INFO": path, "QUERY_STRING": query, **meta})


def links(response):
    return [href or content for href, content in LINK.findall(response.content.decode())]


def off_site(url):
    """Whether a link leaves the site: any absolute or protocol-relative link not on SITE_URL."""
    return url.startswith("//") or (re.match(r"^[a-z]+:", url) and not url.startswith(settings.SITE_URL + "/"))


@pytest.fixture
def client():
    return Client(raise_request_exception=False)  # a 500 is an answer to look at, not an error in the test


@pytest.fixture
def site(make_case):
    return make_case("bangkok-card", title="Bangkok transportation card")


@pytest.mark.parametrize("host", ["evil.example", "", "bad host", "evil.example:8000", "[::1", "testserver/../evil"])
def test_a_disallowed_or_malformed_host_is_a_400_in_the_site_design(client, site, host):
    for path in ["/", "/ko/", reverse("projects:case_list"), site.get_absolute_url(), "/no-such-page/", "/healthz"]:
        response = request(client, path, HTTP_HOST=host)
        assert response.status_code == 400, (host, path)
        html = response.content.decode()
        assert "Bad request" in html or "잘못된 요청" in html, (host, path)
        assert "evil" not in html and not any(off_site(url) for url in links(response)), (host, path)


def test_a_post_with_a_disallowed_host_and_an_origin_is_a_400(client, db):
    response = client.post("/", HTTP_HOST="evil.example", HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 400


def test_too_many_query_fields_is_a_400(client, site):
    for path in ["/", "/ko/", reverse("projects:case_list"), site.get_absolute_url(), reverse("data")]:
        response = request(client, path, FLOOD)
        assert response.status_code == 400, path
        assert "Bad request" in response.content.decode() or "잘못된 요청" in response.content.decode(), path


def test_the_korean_400_page_is_in_korean(client, db):
    response = request(client, "/ko/", FLOOD)
    assert response.status_code == 400
    assert '<html lang="ko">' in response.content.decode()


@pytest.mark.parametrize("path", ["//evil.example/", "//evil.example/ko/", "//evil.example/cases/", "///evil.example/"])
def test_a_path_that_looks_like_another_host_links_only_to_the_site(client, db, path):
    response = request(client, path, "sector=x", HTTP_HOST="testserver")
    assert response.status_code == 404
    found = links(response)
    assert found  # the page has its header, footer and menu links
    assert not any("evil" in url for url in found), found
    assert not any(off_site(url) for url in found), found


def test_error_pages_carry_no_canonical_or_hreflang_and_switch_to_each_home_page(client, db):
    html = request(client, "/no-such-page/", "a=1").content.decode()
    assert 'rel="canonical"' not in html and 'hreflang="x-default"' not in html and "og:url" not in html
    switcher = re.search(r'<nav class="krds-language.*?</nav>', html, re.S)[0]
    assert re.findall(r'href="([^"]*)"', switcher) == ["/", "/ko/"]


def test_links_come_from_the_site_address_whatever_the_allowed_host(client, site, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    settings.SITE_URL = "https://diplomacy.example.org"
    url = site.get_absolute_url()
    html = client.get(url, HTTP_HOST="other.example").content.decode()
    assert f'<link rel="canonical" href="https://diplomacy.example.org{url}">' in html
    assert f'<meta property="og:url" content="https://diplomacy.example.org{url}">' in html
    assert f'hreflang="ko" href="https://diplomacy.example.org/ko{url}"' in html
    assert "other.example" not in html
    robots = client.get("/robots.txt", HTTP_HOST="other.example").content.decode()
    assert "Sitemap: https://diplomacy.example.org/sitemap.xml" in robots
    index = client.get("/sitemap.xml", HTTP_HOST="other.example").content.decode()
    assert "<loc>https://diplomacy.example.org/sitemap-cases.xml</loc>" in index and "other.example" not in index
    sitemap = client.get("/sitemap-cases.xml", HTTP_HOST="other.example").content.decode()
    assert f"<loc>https://diplomacy.example.org{url}</loc>" in sitemap and "other.example" not in sitemap
    data = client.get(reverse("data"), HTTP_HOST="other.example").content.decode()
    assert '"url": "https://diplomacy.example.org/data/"' in data and "other.example" not in data
    for export in [f"{reverse('projects:case_list')}?format=json", f"{url}?format=json"]:
        body = client.get(export, HTTP_HOST="other.example").content.decode()
        assert f"https://diplomacy.example.org{url}" in body and "other.example" not in body, export
    csv = b"".join(client.get(f"{reverse('projects:case_list')}?format=csv", HTTP_HOST="other.example"))
    assert f"https://diplomacy.example.org{url}".encode() in csv and b"other.example" not in csv
    assert absolute_url("/x/") == "https://diplomacy.example.org/x/"


def test_head_answers_wherever_get_does(client, site):
    for url in ["/healthz", "/robots.txt", "/favicon.ico", "/", "/ko/", site.get_absolute_url(), "/sitemap.xml"]:
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code, url
        assert head.status_code in {200, 301}, url
        assert head.content == b"", url
        assert head["Content-Type"] == get["Content-Type"], url


def test_each_error_page_renders_from_nothing_the_request_sent(rf, db):
    """The handlers themselves, given a request whose host, path and query would each raise or leak."""
    from pages import views

    hostile = rf.generic("GET", "/", PATH_INFO="//evil.example/", QUERY_STRING=FLOOD, HTTP_HOST="evil.example")
    responses = {
        400: views.bad_request(hostile, Exception("bad")),
        403: views.permission_denied(hostile, Exception("no")),
        404: views.page_not_found(hostile, Exception("gone")),
        500: views.server_error(hostile),
    }
    for status, response in responses.items():
        assert response.status_code == status
        html = response.content.decode()
        assert 'id="krds-header"' in html and 'rel="canonical"' not in html, status
        assert not any(off_site(url) for url in links(response)), status
        assert "evil.example" not in html.replace("<code>//evil.example/</code>", ""), status


def test_the_sitemap_index_names_the_configured_site_whatever_host_was_asked(client, db, settings):
    """Django's own index view takes the host from the request; ours takes SITE_URL (pages.sitemaps)."""
    settings.SITE_URL = "https://diplomacy.example.org"
    response = client.get("/sitemap.xml", HTTP_HOST="localhost")
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    assert response.status_code == 200 and locations
    assert all(location.startswith("https://diplomacy.example.org/sitemap-") for location in locations)


@pytest.mark.parametrize(
    ("path", "query", "meta"),
    [("/cases/", FLOOD, {}), ("/ko/", FLOOD, {}), ("/", "", {"HTTP_HOST": "evil.example"})],
    ids=["query-fields", "query-fields-ko", "host"],
)
def test_make_run_s_debug_page_answers_them_with_a_400_too(client, site, settings, path, query, meta):
    """Under ``make run`` (DEBUG) Django answers a refused request with its own debug page: it reads the
    request's query again, and for a flood of fields that raised again and gave a 500."""
    settings.DEBUG = True
    response = request(client, path, query, **meta)
    assert response.status_code == 400
    assert b"TooManyFieldsSent" in response.content or b"DisallowedHost" in response.content
