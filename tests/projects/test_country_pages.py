"""/countries/ and /countries/<ISO>/: what a visitor sees of a country, its JSON twin, its address rules."""

import re

import pytest
from django.urls import reverse

from core.content import Status
from projects.models import Region, Relationship


@pytest.fixture
def world(make_case, make_city, make_country, sister_city):
    """Thailand: a sister city with a case; Peru: a friendship city, a place with a case, a draft city and
    a draft case; Vietnam: only a draft case; France: nothing at all."""
    peru = make_country("PE", "Peru", region=Region.LATIN_AMERICA, name_ko="페루")
    make_country("VN", "Vietnam")
    make_country("FR", "France", region=Region.EUROPE)
    make_case("bangkok-card", title="Bangkok transportation card", country=sister_city.country, cities=[sister_city])
    lima = make_city("lima", country=peru, name="Lima", relationship=Relationship.FRIENDSHIP, relationship_year=2001)
    cusco = make_city("cusco", country=peru, name="Cusco", latitude=-13.5, longitude=-71.97)
    make_city("arequipa-draft", country=peru, name="Arequipa", status=Status.DRAFT)
    make_case("cusco-water", title="Cusco water", country=peru, cities=[cusco])
    make_case("lima-draft-case", title="Lima draft case", country=peru, cities=[lima], status=Status.DRAFT)
    make_case("hanoi-draft", country=make_country("VN"), status=Status.DRAFT)
    return peru


def test_list_groups_countries_with_published_content_by_region_with_counts(client, world):
    html = client.get(reverse("projects:country_list")).content.decode()
    assert re.search(r'<h2 id="region-southeast-asia">Southeast Asia</h2>.*?/countries/TH/', html, re.S)
    assert re.search(r'<h2 id="region-latin-america">Latin America</h2>.*?/countries/PE/', html, re.S)
    assert "/countries/VN/" not in html and "/countries/FR/" not in html  # a draft case and nothing
    assert "region-europe" not in html
    peru_row = re.search(r'<tr>\s*<th scope="row"><a href="/countries/PE/">Peru</a></th>(.*?)</tr>', html, re.S)
    # sister, friendship, other places, cases: the draft city and the draft case are not counted
    assert re.findall(r'<td class="num">(\d+)</td>', peru_row.group(1)) == ["0", "1", "1", "1"]


def test_list_json_has_machine_keys_and_counts(client, world):
    data = client.get(reverse("projects:country_list") + "?format=json").json()
    assert data["count"] == 2
    peru = next(row for row in data["results"] if row["code"] == "PE")
    assert peru["url"] == "http://testserver/countries/PE/"
    assert (peru["friendship_city_count"], peru["other_place_count"], peru["case_count"]) == (1, 1, 1)
    assert peru["region"] == "latin-america"


def test_detail_shows_published_cities_cases_and_map_only(client, world):
    response = client.get(reverse("projects:country_detail", args=["PE"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert 'href="/cities/lima/"' in html and 'href="/cities/cusco/"' in html
    assert "Friendship city" in html and "2001" in html
    assert 'href="/cases/cusco-water/"' in html
    assert "Arequipa" not in html and "Lima draft case" not in html
    # The map draws Cusco (it has coordinates) and links its point to the city's page.
    assert 'id="country-map"' in html
    assert '<a href="/cities/cusco/" class="map-point">' in html


def test_detail_json_twin(client, world):
    data = client.get(reverse("projects:country_detail", args=["PE"]) + "?format=json").json()
    assert data["code"] == "PE" and data["name_ko"] == "페루"
    assert [city["slug"] for city in data["cities"]] == ["cusco", "lima"]
    assert [case["slug"] for case in data["cases"]] == ["cusco-water"]


def test_korean_detail_is_in_korean_with_the_korean_name(client, world):
    response = client.get("/ko/countries/PE/")
    assert response.status_code == 200
    assert '<h1 class="page-title">페루</h1>' in response.content.decode()


@pytest.mark.parametrize(
    ("path", "target"),
    [("/countries/pe/", "/countries/PE/"), ("/ko/countries/Pe/?format=json", "/ko/countries/PE/?format=json")],
)
def test_lower_case_code_redirects_to_the_upper_case_address(client, world, path, target):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == target


@pytest.mark.parametrize(
    "path", ["/countries/ZZ/", "/countries/FR/", "/countries/VN/", "/countries/PER/", "/countries/P1/"]
)
def test_unknown_or_unpublished_country_is_404(client, world, path):
    assert client.get(path).status_code == 404


def test_country_names_link_to_their_pages(client, world, sister_city):
    for url in [
        reverse("projects:case_list"),
        sister_city.get_absolute_url(),
        "/cases/bangkok-card/",
        reverse("projects:city_list"),
    ]:
        html = client.get(url).content.decode()
        assert 'href="/countries/TH/"' in html, url


def test_cities_and_home_pages_link_to_the_country_list(client, world):
    for url in [reverse("projects:city_list"), reverse("home")]:
        assert 'href="/countries/"' in client.get(url).content.decode(), url


def test_sitemap_lists_countries_with_published_content_only(client, world):
    index = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/sitemap-countries.xml</loc>" in index
    xml = client.get("/sitemap-pages.xml").content.decode() + client.get("/sitemap-countries.xml").content.decode()
    assert "<loc>http://testserver/countries/</loc>" in xml
    assert (
        "<loc>http://testserver/countries/PE/</loc>" in xml and "<loc>http://testserver/ko/countries/PE/</loc>" in xml
    )
    assert "/countries/VN/" not in xml and "/countries/FR/" not in xml


def test_countries_table_of_the_open_data_has_counts_and_pages(client, world):
    rows = {row["code"]: row for row in client.get("/data/countries.json").json()["results"]}
    assert rows["PE"]["url"] == "http://testserver/countries/PE/"
    assert rows["VN"]["url"] is None and rows["VN"]["case_count"] == 0  # its only case is a draft
    assert rows["TH"]["sister_city_count"] == 1
