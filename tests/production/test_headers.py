"""Security headers on every public page type, and no inline script or style for the policy to block.

HSTS and secure cookies are production-only; tests/production/test_deploy_check.py checks them there.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.content import Status

# django-csp 4.0 writes the directives in no fixed order (it walks a set), so the test compares the
# directives, each exactly; this is the policy in the order settings/base.py lists it.
EXPECTED_CSP = (
    "default-src 'none'; base-uri 'none'; connect-src 'self'; font-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; img-src 'self'; script-src 'self'; style-src 'self'"
)
EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# <script> elements that hold data, not code: browsers never run them, so CSP has nothing to block.
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def directives(policy):
    return sorted(part.strip() for part in policy.split(";") if part.strip())


def routes_without_arguments(patterns=None, prefix=""):
    """Every named route of the site that takes no argument, outside the admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from routes_without_arguments(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.converters:
            yield prefix + pattern.name


@pytest.fixture
def site(make_case, make_city, make_country, make_result, make_organization, make_category):
    city = make_city("bangkok", country=make_country("TH", "Thailand"), name="Bangkok")
    case = make_case("bangkok-card", title="Bangkok transportation card", cities=[city])
    make_category("transportation-card", sector=case.sector)
    make_result(cities_ranked=42)
    make_organization("citynet")
    make_case("draft-case", status=Status.DRAFT)
    return case, city


def public_urls(case, city):
    urls = {reverse(name) for name in routes_without_arguments()}
    urls = {url for url in urls if not url.startswith(reverse("admin:index"))}  # staff pages beside the admin's
    urls |= {
        case.get_absolute_url(),
        case.sector.get_absolute_url(),
        city.get_absolute_url(),
        reverse("rankings:index_detail", args=["gpci"]),
        reverse("projects:case_list") + "?sector=transportation&q=card",
        reverse("projects:case_list") + "?year_from=abc",  # a 400 page
        reverse("projects:case_detail", args=["draft-case"]),  # a 404 page
        "/no-such-page/",
    }
    return sorted(urls)


def test_the_policy_allows_only_the_site_itself():
    assert "unsafe" not in EXPECTED_CSP
    assert "default-src 'none'" in EXPECTED_CSP and "frame-ancestors 'none'" in EXPECTED_CSP


def test_every_public_page_type_sends_the_exact_policy_and_headers(client, site):
    urls = public_urls(*site)
    assert len(urls) >= 15, urls
    for url in urls:
        response = client.get(url)
        assert response.status_code in {200, 301, 400, 404}, url  # 301: /favicon.ico, to the icon
        assert directives(response["Content-Security-Policy"]) == directives(EXPECTED_CSP), url
        for header, value in EXPECTED_HEADERS.items():
            assert response.get(header) == value, (url, header)


def test_the_admin_sends_them_too(admin_client, db):
    response = admin_client.get(reverse("admin:index"))
    assert directives(response["Content-Security-Policy"]) == directives(EXPECTED_CSP)
    for header, value in EXPECTED_HEADERS.items():
        assert response.get(header) == value, header


def test_static_files_send_the_exact_policy_and_headers(client, db):
    """whitenoise answers them without calling the rest of the site: every header is set above it."""
    for url in ["/static/css/site.css", "/static/favicon.svg", "/static/krds/fonts/PretendardGOV-Regular.subset.woff2"]:
        for response in [client.get(url), client.head(url)]:
            assert response.status_code == 200, url
            assert "X-Page-Cache" not in response and response.get("Content-Length"), url  # whitenoise's answer
            assert directives(response["Content-Security-Policy"]) == directives(EXPECTED_CSP), url
            for header, value in EXPECTED_HEADERS.items():
                assert response.get(header) == value, (url, header)


def test_pages_hold_no_inline_script_or_style(client, site):
    """The policy forbids them, so a page that had one would be broken in every browser."""
    for url in public_urls(*site):
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue  # the open-data files among the routes (the archive, the data dictionary)
        html = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            script_type = re.search(r'type="([^"]+)"', tag)
            assert "src=" in tag or (script_type and script_type[1] in DATA_SCRIPT_TYPES), (url, tag)
        assert "<style" not in html, url
        assert not re.search(r"<[^>]+\sstyle=", html), url
        assert not re.search(r"<[^>]+\son[a-z]+=", html), url  # onclick= and the like


def test_anonymous_pages_set_no_cookie(client, site):
    """Nothing to steal and nothing that would stop a page being cached."""
    for url in public_urls(*site):
        assert not client.get(url).cookies, url
