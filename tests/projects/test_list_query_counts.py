"""The list pages read a page with as many queries at 500 cases as at 10."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.content import Status
from projects.models import Case, City, Relationship, WorkKind
from tests.conftest import provenance


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["projects:case_list", "projects:city_list"])
def test_list_pages_make_the_same_number_of_queries_at_10_and_500_cases(client, url_name, make_sector, make_country):
    sectors = [make_sector(f"sector-{n}") for n in range(3)]
    countries = [make_country(code, f"Country {code}") for code in ("TH", "PE", "VN")]

    def add_cases(start, stop):
        """Published cities and cases, one city per case, written in bulk (no history: not what is measured)."""
        numbers = range(start, stop)
        cities = City.objects.bulk_create(
            City(
                slug=f"city-{n}",
                name=f"City {n}",
                country=countries[n % 3],
                relationship=Relationship.SISTER,
                status=Status.PUBLISHED,
                **provenance(),
            )
            for n in numbers
        )
        cases = Case.objects.bulk_create(
            Case(
                slug=f"case-{n}",
                title=f"Case {n}",
                kind=WorkKind.CONSULTING,
                sector=sectors[n % 3],
                country=countries[n % 3],
                status=Status.PUBLISHED,
                **provenance(),
            )
            for n in numbers
        )
        Case.cities.through.objects.bulk_create(
            Case.cities.through(case=case, city=city) for case, city in zip(cases, cities, strict=True)
        )

    add_cases(0, 10)
    url = reverse(url_name) + "?ordering=title" * (url_name == "projects:case_list")
    small = count_queries(client, url)
    add_cases(10, 500)
    assert count_queries(client, url) == small
    assert count_queries(client, reverse(url_name) + "?country=TH&country=PE") == count_queries(
        client, reverse(url_name) + "?country=TH&country=PE&page=2"
    )
