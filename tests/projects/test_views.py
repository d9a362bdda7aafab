"""The public /cases/ and /cities/ pages: filtering in the URL, pagination that keeps it, bad input."""

import re

import pytest
from django.urls import reverse

from projects.models import Relationship
from tests.conftest import create_case, create_city, create_country, create_sector


@pytest.fixture(scope="module", autouse=True)
def many_cases_written(module_transaction, django_db_blocker):
    """Every test of this module runs with these rows, written once for the module (``module_transaction``).
    A test that needs an empty database belongs in another module."""
    with django_db_blocker.unblock():
        thailand = create_country("TH", "Thailand")
        peru = create_country("PE", "Peru")
        transport = create_sector("transportation", name="Transportation")
        water = create_sector("waterworks", name="Waterworks")
        bangkok = create_city(
            "bangkok", country=thailand, name="Bangkok", relationship=Relationship.SISTER, relationship_year=2006
        )
        for number in range(45):
            create_case(
                f"transport-{number:02}",
                title=f"Transport case {number:02}",
                sector=transport,
                country=thailand,
                cities=[bangkok],
            )
        for number in range(5):
            create_case(f"water-{number}", title=f"Water case {number}", sector=water, country=peru)


@pytest.fixture
def many_cases(db, many_cases_written):
    """50 published cases in two sectors and two countries, 45 of them in Bangkok."""


def result_count(response):
    match = re.search(r'id="result-count">\s*(?:<strong>(\d+)</strong>)?', response.content.decode())
    return int(match.group(1)) if match and match.group(1) else None


def test_case_list_says_how_many_match_and_paginates(client, many_cases):
    response = client.get(reverse("projects:case_list"))
    assert response.status_code == 200
    assert result_count(response) == 50
    assert len(response.context["object_list"]) == 20


def test_filters_are_kept_in_pagination_links(client, many_cases):
    response = client.get(reverse("projects:case_list"), {"sector": "transportation", "country": "TH"})
    assert result_count(response) == 45
    html = response.content.decode()
    assert "?country=TH&amp;page=2&amp;sector=transportation" in html
    page3 = client.get(reverse("projects:case_list") + "?country=TH&page=3&sector=transportation")
    assert page3.status_code == 200
    assert [case.slug for case in page3.context["object_list"]] == [f"transport-{n}" for n in range(40, 45)]


def test_active_filters_are_listed_with_a_link_that_removes_each(client, many_cases):
    response = client.get(reverse("projects:case_list") + "?sector=transportation&sector=waterworks&page=2")
    removes = {item["label"]: item["remove_url"] for item in response.context["active_filters"]}
    assert removes == {"Transportation": "?sector=waterworks", "Waterworks": "?sector=transportation"}


def test_sorting_keeps_the_filters(client, many_cases):
    response = client.get(reverse("projects:case_list"), {"sector": "waterworks", "ordering": "-title"})
    assert [case.slug for case in response.context["object_list"]][:2] == ["water-4", "water-3"]
    assert result_count(response) == 5


def test_invalid_filter_is_a_400_that_names_the_problem_and_lists_nothing(client, many_cases):
    response = client.get(reverse("projects:case_list"), {"sector": "transportation", "year_from": "nineteen"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The filters could not be applied" in html
    assert "Enter a whole number." in html
    assert list(response.context["object_list"]) == []


def test_unknown_parameter_is_named_on_the_page(client, many_cases):
    response = client.get(reverse("projects:case_list"), {"secter": "transportation"})
    assert response.status_code == 200
    assert "<code>secter</code>" in response.content.decode()


def test_page_past_the_end_is_a_404_that_says_so(client, many_cases):
    response = client.get(reverse("projects:case_list"), {"page": "99"})
    assert response.status_code == 404
    assert "That page contains no results" in response.content.decode()


MALFORMED_CASE_QUERIES = [
    "sector=nope",
    "sector=",
    "sector=transportation&sector=../../etc",
    "sector=%00",
    "country=ZZ",
    "country=t",
    "country=THA",
    "country=%F0%9F%98%80",
    "region=mars",
    "region[]=asia",
    "city=no-such-city",
    "city=%27%20OR%201%3D1--",
    "category=nope",
    "kind=sabotage",
    "year_from=abc",
    "year_from=1e3",
    "year_from=99999999999999999999",
    "year_to=-5",
    "year_from=2018&year_to=2012",
    "q=" + "x" * 500,
    "q=%",
    "q=%25%5F",
    "q=%ZZ",
    "ordering=password",
    "ordering=-",
    "ordering=title,,",
    "page=0",
    "page=-1",
    "page=abc",
    "page=9999999999999999999999",
    "page=last",
    "format=xml",
    "&&&===",
    "sector=transportation&sector=transportation",
]

MALFORMED_CITY_QUERIES = [
    "relationship=enemy",
    "relationship=",
    "country=ZZ",
    "country=",
    "region=atlantis",
    "q=" + "y" * 300,
    "ordering=secret",
    "page=0",
    "page=two",
    "page=500",
]


@pytest.mark.parametrize("query", MALFORMED_CASE_QUERIES)
def test_malformed_case_queries_never_give_a_5xx(client, many_cases, query):
    response = client.get(reverse("projects:case_list") + "?" + query)
    assert response.status_code in {200, 400, 404}, query
    if response.status_code == 400 and response["Content-Type"].startswith("application/json"):
        assert response.json()["error"]
    elif response.status_code == 400:
        assert "The filters could not be applied" in response.content.decode()


@pytest.mark.parametrize("query", MALFORMED_CITY_QUERIES)
def test_malformed_city_queries_never_give_a_5xx(client, many_cases, query):
    response = client.get(reverse("projects:city_list") + "?" + query)
    assert response.status_code in {200, 400, 404}, query


def test_the_worst_queries_get_the_right_status(client, many_cases):
    cases = reverse("projects:case_list")
    assert client.get(cases + "?sector=nope").status_code == 400
    assert client.get(cases + "?page=abc").status_code == 404
    assert client.get(cases + "?page=last").status_code == 200
    assert client.get(cases + "?q=%25").status_code == 200


def test_city_page_lists_its_cases(client, many_cases):
    response = client.get(reverse("projects:city_detail", args=["bangkok"]))
    assert response.status_code == 200
    assert len(response.context["cases"]) == 45
    assert "Sister city" in response.content.decode()


def test_pagination_shows_a_window_of_pages_not_every_page(client, many_cases, monkeypatch):
    from projects.views import CaseListView

    monkeypatch.setattr(CaseListView, "paginate_by", 2)  # 50 cases: 25 pages
    html = client.get(reverse("projects:case_list") + "?page=10").content.decode()
    pages = [int(n) for n in re.findall(r'class="page-link(?: active)?" href="\?page=(\d+)"', html)]
    assert pages == [1, 8, 9, 10, 11, 12, 25]
    assert html.count('class="page-link link-dot"') == 2


@pytest.mark.parametrize("prefix", ["", "/ko"])
def test_the_cities_map_draws_from_column_values_what_map_points_draws_from_the_cities(
    client, make_city, make_country, monkeypatch, prefix
):
    """CityListView reads the map's places as bare values (``map_places``): the same points, in the same
    order and with the same labels, as ``map_points`` over the cities themselves; truncated at the limit."""
    from django.utils import translation

    from core.worldmap import map_points
    from projects import views
    from projects.models import City, Relationship

    monkeypatch.setattr(views, "MAP_LIMIT", 4)
    korea = make_country("KR", "South Korea")
    make_city(
        "busan",
        country=korea,
        name="Busan",
        name_ko="부산",
        relationship=Relationship.SISTER,
        latitude=35.1,
        longitude=129.0,
    )
    make_city(
        "jeju",
        country=korea,
        name="Jeju",
        name_ko="",
        relationship=Relationship.FRIENDSHIP,
        relationship_year=2001,
        latitude=33.5,
        longitude=126.5,
        coordinates_approximate=True,
    )
    make_city("nowhere", country=korea, name="Nowhere")
    for number in range(3):
        make_city(f"place-{number}", country=korea, name=f"Place {number}", latitude=number, longitude=number)
    response = client.get(f"{prefix}/cities/")
    with translation.override("ko" if prefix else "en"):
        cities = City.objects.published().select_related("country").order_by(views.in_page_language("name"), "slug")
        expected = map_points(list(cities[:4]))
    assert response.context["map"] == expected
    assert response.context["map_truncated"] is True
    assert expected.missing and len(expected.points) + expected.missing == 4  # places without coordinates counted


def test_the_cities_map_is_kept_for_its_filters_until_the_content_changes(client, make_city, make_country, settings):
    """With fragments kept, every page and address of the same filters shares one drawn map, and a change to
    the content draws it again."""
    from projects.models import Relationship

    settings.FRAGMENT_CACHE = True
    korea = make_country("KR", "South Korea")
    make_city("busan", country=korea, name="Busan", relationship=Relationship.SISTER, latitude=35.1, longitude=129.0)
    first = client.get("/cities/?relationship=sister").context["map"]
    assert client.get("/cities/?relationship=sister&page=1").context["map"] is first
    assert client.get("/cities/?relationship=friendship").context["map"] is not first
    make_city("daegu", country=korea, name="Daegu", relationship=Relationship.SISTER, latitude=35.9, longitude=128.6)
    after = client.get("/cities/?relationship=sister").context["map"]
    assert [point["name"] for point in after.points] == ["Busan", "Daegu"]
