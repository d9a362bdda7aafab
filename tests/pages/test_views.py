"""Site-wide smoke tests: every public page answers, in the site's design, with exactly one <h1>."""

import re

import pytest
from django.urls import reverse

from core.content import Status


@pytest.fixture
def small_site(make_case, make_city, make_country, make_result, make_organization, sister_city, make_category):
    case = make_case("bangkok-card", title="Bangkok transportation card", cities=[sister_city])
    make_category("transportation-card", sector=case.sector, name="Transportation card")
    make_result(cities_ranked=42)
    make_organization("citynet", name="CITYNET")
    return case


def public_urls(case, city):
    return [
        reverse("home"),
        reverse("projects:case_list"),
        case.get_absolute_url(),
        reverse("projects:sector_list"),
        case.sector.get_absolute_url(),
        reverse("projects:city_list"),
        city.get_absolute_url(),
        reverse("projects:country_list"),
        city.country.get_absolute_url(),
        reverse("rankings:index_list"),
        reverse("rankings:index_detail", args=["gpci"]),
        reverse("rankings:organization_list"),
        reverse("data"),
    ]


def test_every_public_page_answers_with_one_h1_and_a_skip_link(client, small_site, sister_city):
    for url in public_urls(small_site, sister_city):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert len(re.findall(r"<h1[\s>]", html)) == 1, url
        assert 'href="#main-content"' in html and "Go to main content" in html, url
        assert '<main id="main-content"' in html, url


def test_pages_request_nothing_from_another_host(client, small_site, sister_city):
    for url in public_urls(small_site, sister_city):
        html = client.get(url).content.decode()
        # Anything the browser would fetch: scripts, images, style sheets, fonts, icons (not rel=canonical links).
        fetched = re.findall(r'<(?:script|img|image|iframe|source|video|audio)\b[^>]*\b(?:src|href)="([^"]+)"', html)
        fetched += re.findall(r'<link\b(?![^>]*rel="(?:canonical|alternate)")[^>]*\bhref="([^"]+)"', html)
        assert fetched, url
        external = [address for address in fetched if re.match(r"(?:https?:)?//", address)]
        assert not external, (url, external)


def test_healthz_checks_the_database(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_healthz_reports_a_broken_database(client, db, monkeypatch):
    from django.db import OperationalError, connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("database is down")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", broken_cursor)
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_robots_txt_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.content.decode()


def test_unknown_path_is_a_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_draft_case_is_404_to_the_public_and_absent_from_lists(client, make_case):
    draft = make_case("secret-draft", title="Secret draft case", status=Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert b"Secret draft case" not in client.get(reverse("projects:case_list")).content
    assert b"Secret draft case" not in client.get(draft.sector.get_absolute_url()).content


def test_draft_case_is_visible_to_staff_in_the_admin(admin_client, make_case):
    draft = make_case("secret-draft", title="Secret draft case", status=Status.DRAFT)
    changelist = admin_client.get(reverse("admin:projects_case_changelist"))
    assert b"Secret draft case" in changelist.content
    change = admin_client.get(reverse("admin:projects_case_change", args=[draft.pk]))
    assert change.status_code == 200


def test_draft_city_is_404(client, make_city):
    city = make_city("hidden-city", status=Status.DRAFT)
    assert client.get(city.get_absolute_url()).status_code == 404


def test_the_home_map_draws_partners_first_and_at_most_its_limit(client, make_city, make_case, monkeypatch):
    from pages import views

    monkeypatch.setattr(views, "HOME_MAP_LIMIT", 3)
    sister = make_city("zz-sister", relationship="sister", relationship_year=2000, latitude=1, longitude=1)
    places = [make_city(f"place-{n}", latitude=n, longitude=n) for n in range(4)]
    for place in places:
        make_case(cities=[place])
    points = client.get("/").context["map"].points
    assert len(points) == 3
    assert sister.name in [point["name"] for point in points]


def test_a_sector_with_more_cases_than_its_page_shows_links_to_all_of_them(client, make_sector, make_case):
    from projects.views import SECTOR_PAGE_CASES

    sector = make_sector("transportation", name="Transportation")
    for number in range(SECTOR_PAGE_CASES + 3):
        make_case(f"case-{number}", sector=sector)
    for prefix, text in (("", "See all 23 cases in Transportation"), ("/ko", "23")):
        response = client.get(prefix + sector.get_absolute_url())
        assert response.status_code == 200
        assert text in response.content.decode()
        assert len(response.context["cases"]) == SECTOR_PAGE_CASES
