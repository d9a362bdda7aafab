"""A filter value keeps one form from the URL to the SQL, and a facet's table is read once per page.

``?sector=transportation`` becomes the Sector row when the form is cleaned, from the same read that lists
the choices; the list is filtered by the case table's own ``sector_id``; the facet counts and the default
order's groups reuse the rows (``listing.forms.RowsReadOnce``).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from listing.forms import RowMultipleChoiceField
from projects.filters import CaseFilter
from projects.models import Sector

CASES = reverse("projects:case_list")


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [query["sql"] for query in captured.captured_queries]


def reading(table, queries):
    return [sql for sql in queries if re.search(rf'FROM "{table}"', sql)]


@pytest.fixture
def two_sectors(make_case, make_sector, make_country):
    water = make_sector("waterworks", name="Waterworks")
    make_case("a-bus", country=make_country("PH"))
    make_case("a-pipe", sector=water, country=make_country("TH"))


@pytest.mark.usefixtures("two_sectors")
@pytest.mark.parametrize("query", ["", "?sector=transportation", "?sector=transportation&country=ph"])
def test_each_facet_table_is_read_once_per_page(client, query):
    client.get(CASES + "?q=warm-up")  # the first request of a process runs queries later ones do not
    response, queries = queries_of(client, CASES + query)
    assert response.status_code == 200
    assert len(reading("projects_sector", queries)) == 1
    assert len(reading("projects_country", queries)) == 1


@pytest.mark.usefixtures("two_sectors")
def test_the_list_is_filtered_by_the_foreign_key_not_by_a_join_on_the_slug(client):
    response, queries = queries_of(client, CASES + "?sector=waterworks")
    assert [case.slug for case in response.context["object_list"]] == ["a-pipe"]
    page_query = next(sql for sql in queries if 'FROM "projects_case"' in sql and '"projects_case"."title"' in sql)
    assert '"projects_sector"."slug"' not in page_query.split("WHERE", 1)[1]


@pytest.mark.usefixtures("two_sectors")
def test_the_cleaned_value_is_the_row_the_choices_listed():
    filterset = CaseFilter({"sector": ["waterworks", "transportation", "waterworks"]})
    assert filterset.is_valid()
    field = filterset.form.fields["sector"]
    assert isinstance(field, RowMultipleChoiceField)
    chosen = filterset.form.cleaned_data["sector"]
    assert [sector.slug for sector in chosen] == ["waterworks", "transportation"]  # each once, as given
    listed = {sector.pk: sector for sector in field.queryset}
    assert all(sector is listed[sector.pk] for sector in chosen)  # the same objects: one read


@pytest.mark.usefixtures("two_sectors")
@pytest.mark.parametrize("value", ["nope", "1", "Transportation"])
def test_an_unknown_key_is_a_form_error_that_names_it(client, value):
    response = client.get(CASES + f"?sector={value}&sector=transportation")
    assert response.status_code == 400
    assert value in response.content.decode()
    assert Sector.objects.count() == 2  # nothing written
