"""CSV and JSON exports of the whole filtered set, detail-page JSON twins, and facet counts on the page."""

import csv
import io
import re

import pytest
from django.urls import reverse

from core.content import Status
from projects.exports import CASE_COLUMNS, CITY_COLUMNS
from projects.models import Case, Region, WorkKind
from tests.conftest import create_case, create_city, create_country, create_sector, labelled_counts


@pytest.fixture(scope="module", autouse=True)
def dataset_written(module_transaction, django_db_blocker):
    """Every test of this module runs with these rows, written once for the module (``module_transaction``).
    A test that needs other data only belongs here if it adds to them."""
    with django_db_blocker.unblock():
        countries = [
            create_country("TH", "Thailand", Region.SOUTHEAST_ASIA),
            create_country("PE", "Peru", Region.LATIN_AMERICA),
            create_country("VN", "Vietnam", Region.SOUTHEAST_ASIA),
        ]
        sectors = [create_sector(slug, name=slug.title()) for slug in ("transportation", "waterworks", "environment")]
        kinds = [WorkKind.CONSULTING, WorkKind.CONSTRUCTION, WorkKind.FEASIBILITY_STUDY]
        for number in range(60):
            city = create_city(f"city-{number % 7}", country=countries[number % 7 % 3]) if number < 7 else None
            create_case(
                f"case-{number:02}", title=f"Case {number:02}", sector=sectors[number % 3],
                country=countries[number % 3], kind=kinds[number % 2], cities=[city] if city else [],
                year_start=2010 + number % 8,
            )  # fmt: skip
        create_case("formula", title='=HYPERLINK("http://evil")', summary="+1", sector=sectors[0], country=countries[0])
        create_case("draft", title="Draft", sector=sectors[0], country=countries[0], status=Status.DRAFT)


@pytest.fixture
def dataset(db, dataset_written):
    """60 published cases in three sectors, countries and kinds, 7 of them with a city; one whose title is a
    spreadsheet formula; one draft."""


def page_count(client, url, query):
    html = client.get(url + query).content.decode()
    return int(re.search(r'id="result-count">\s*<strong>(\d+)</strong>', html).group(1))


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


QUERIES = [
    "",
    "?sector=transportation&sector=waterworks",
    "?sector=transportation&country=TH",
    "?region=southeast-asia",
    "?kind=construction&year_from=2013",
    "?q=case 1",
    "?country=PE&country=VN&ordering=-title",
]


@pytest.mark.parametrize("query", QUERIES)
def test_csv_and_json_give_the_rows_the_page_counts(client, dataset, query):
    url = reverse("projects:case_list")
    expected = page_count(client, url, query)
    joiner = "&" if query else "?"
    response = client.get(url + query + joiner + "format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="seoul-city-diplomacy-cases.csv"'
    rows = csv_rows(response)
    assert len(rows) == expected
    if rows:
        assert list(rows[0].keys()) == CASE_COLUMNS
    data = client.get(url + query + joiner + "format=json").json()
    assert data["count"] == expected == len(data["results"])
    assert {row["slug"] for row in data["results"]} == {row["slug"] for row in rows}
    assert "draft" not in {row["slug"] for row in rows}


def test_exports_are_the_whole_set_not_one_page(client, dataset):
    data = client.get(reverse("projects:case_list") + "?page=2&format=json").json()
    assert data["count"] == Case.objects.published().count() == 61
    assert len(data["results"]) == 61


def test_json_echoes_the_filters(client, dataset):
    data = client.get(reverse("projects:case_list") + "?sector=transportation&sector=waterworks&q=x&format=json").json()
    assert data["filters"] == {"sector": ["transportation", "waterworks"], "q": ["x"]}
    assert data["columns"] == CASE_COLUMNS


def test_csv_neutralises_formulas(client, dataset):
    rows = csv_rows(client.get(reverse("projects:case_list") + "?format=csv"))
    formula = next(row for row in rows if row["slug"] == "formula")
    assert formula["title"] == '\'=HYPERLINK("http://evil")'
    assert formula["summary"] == "'+1"
    assert all(not value.startswith(("=", "+", "@")) for row in rows for value in row.values())


@pytest.mark.parametrize(
    "query",
    ["?sector=nope&format=json", "?year_from=x&format=csv", "?format=xml", "?format=", "?country=ZZ&format=csv"],
)
def test_invalid_export_parameters_give_a_json_error(client, dataset, query):
    response = client.get(reverse("projects:case_list") + query)
    if query == "?format=":
        assert response.status_code == 200  # an empty format is the web page
        return
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_city_exports(client, dataset):
    url = reverse("projects:city_list")
    rows = csv_rows(client.get(url + "?format=csv"))
    assert [row["slug"] for row in rows] == sorted(row["slug"] for row in rows)
    assert list(rows[0].keys()) == CITY_COLUMNS
    assert len(rows) == page_count(client, url, "")


def test_the_list_page_links_to_its_exports_with_the_filters(client, dataset):
    html = client.get(reverse("projects:case_list") + "?sector=transportation&page=2").content.decode()
    assert 'href="?sector=transportation&amp;format=csv"' in html
    assert 'href="?sector=transportation&amp;format=json"' in html


def test_detail_pages_have_json_twins(client, dataset, make_result):
    case = Case.objects.get(slug="case-01")
    data = client.get(case.get_absolute_url() + "?format=json").json()
    assert data["slug"] == "case-01" and data["sector"] == case.sector.slug and data["url"].startswith("http://")
    city = client.get(reverse("projects:city_detail", args=["city-1"]) + "?format=json").json()
    assert city["slug"] == "city-1" and [item["slug"] for item in city["cases"]] == ["case-01"]
    sector = client.get(reverse("projects:sector_detail", args=["waterworks"]) + "?format=json").json()
    assert sector["documented_count"] == 20
    make_result(rank=6, cities_ranked=42)
    index = client.get(reverse("rankings:index_detail", args=["gpci"]) + "?format=json").json()
    assert index["results"][0]["rank_display"] == "6th of 42"
    assert client.get(case.get_absolute_url() + "?format=pdf").status_code == 400


@pytest.mark.parametrize(
    "query", ["", "?sector=transportation", "?country=TH&country=PE", "?sector=waterworks&kind=construction",
              "?region=southeast-asia&year_from=2012"]
)  # fmt: skip
def test_facet_counts_on_the_page_match_a_direct_query(client, dataset, query):
    from django.http import QueryDict

    params = QueryDict(query.lstrip("?"))
    html = client.get(reverse("projects:case_list") + query).content.decode()

    def direct(exclude):
        cases = Case.objects.published()
        if exclude != "sector" and params.getlist("sector"):
            cases = cases.filter(sector__slug__in=params.getlist("sector"))
        if exclude != "country" and params.getlist("country"):
            cases = cases.filter(country__code__in=params.getlist("country"))
        if params.get("kind"):
            cases = cases.filter(kind=params["kind"])
        if params.get("region"):
            cases = cases.filter(country__region=params["region"])
        if params.get("year_from"):
            cases = cases.filter(year_start__gte=int(params["year_from"]))
        return cases

    sector_counts = labelled_counts(html, "sector")
    assert sector_counts, html[:500]
    for slug, shown in sector_counts.items():
        assert shown == direct("sector").filter(sector__slug=slug).count(), (query, slug)
    country_counts = labelled_counts(html, "country")
    assert set(country_counts) == {"TH", "PE", "VN"}
    for code, shown in country_counts.items():
        assert shown == direct("country").filter(country__code=code).count(), (query, code)


def test_a_choice_that_gives_nothing_says_zero(client, dataset, make_sector):
    make_sector("others", name="Others")
    html = client.get(reverse("projects:case_list")).content.decode()
    assert labelled_counts(html, "sector")["others"] == 0
