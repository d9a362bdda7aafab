"""Pages of /cases/ in its default order (sector by sector, then title), which the view reads sector by
sector (``listing.paging.GroupedResults``) instead of sorting every case: every page must hold
exactly the rows a plain ``ORDER BY`` would, at every boundary between sectors, with and without filters,
in English and in Korean."""

import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.content import Status
from listing.paging import GroupedResults
from projects.models import Case, WorkKind
from projects.views import CaseListView

PER_PAGE = 4


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(CaseListView, "paginate_by", PER_PAGE)


@pytest.fixture
def sectors_of_every_size(make_case, make_sector, make_country):
    """Sectors of 0, 1, 3, 4, 5 and 6 published cases (one sharing its display order with another, one
    listed before a sector whose slug sorts first), with drafts among them and Korean titles on some."""
    thailand, peru = make_country("TH", "Thailand"), make_country("PE", "Peru")
    sizes = {"empty": (1, 0), "one": (2, 1), "three": (3, 3), "four": (3, 4), "five": (5, 5), "six": (4, 6)}
    for slug, (order, size) in sizes.items():
        sector = make_sector(slug, name=slug.title(), order=order)
        for number in range(size):
            make_case(
                f"{slug}-{number}",
                title=f"{'ZYX'[number % 3]} case {number}",  # titles not in slug order
                title_ko=f"{'가나다'[(number + 1) % 3]} 사례 {number}" if number % 2 else "",
                sector=sector,
                country=(thailand, peru)[number % 2],
                kind=(WorkKind.CONSULTING, WorkKind.CONSTRUCTION)[number % 3 == 0],
            )
        make_case(f"{slug}-draft", title="A draft", sector=sector, country=thailand, status=Status.DRAFT)


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return re.findall(r'<th scope="row"><a href="(?:/ko)?/cases/([^/]+)/"', response.content.decode())


def every_page(client, url, rows):
    separator = "&" if "?" in url else "?"
    pages = [listed(client, f"{url}{separator}page={number}") for number in range(1, math.ceil(rows / PER_PAGE) + 1)]
    assert client.get(f"{url}{separator}page={len(pages) + 1}").status_code == 404  # no page after the last
    return pages


@pytest.mark.usefixtures("small_pages", "sectors_of_every_size")
@pytest.mark.parametrize(
    ("prefix", "query", "filters"),
    [
        ("", "", {}),
        ("", "?kind=consulting", {"kind": WorkKind.CONSULTING}),
        ("", "?country=PE", {"country__code": "PE"}),
        ("", "?sector=six&sector=one&sector=four", {"sector__slug__in": ["six", "one", "four"]}),
        ("/ko", "", {}),
        ("/ko", "?country=TH", {"country__code": "TH"}),
    ],
)
def test_every_page_of_the_default_order_holds_the_rows_a_plain_sort_gives(client, prefix, query, filters):
    from django.utils import translation

    from listing.filters import in_page_language

    with translation.override("ko" if prefix else "en"):
        order = ("sector__order", "sector__slug", in_page_language("title"), "slug")
        expected = list(Case.objects.published().filter(**filters).order_by(*order).values_list("slug", flat=True))
    pages = every_page(client, prefix + reverse("projects:case_list") + query, len(expected))
    assert [slug for page in pages for slug in page] == expected
    assert all(len(page) == PER_PAGE for page in pages[:-1])
    assert len(expected) > PER_PAGE  # the test crosses pages and sectors


@pytest.mark.usefixtures("small_pages", "sectors_of_every_size")
def test_a_page_spanning_sectors_is_one_query_as_a_page_inside_one(client):
    url = reverse("projects:case_list")
    client.get(url)  # warm the process

    def queries(page):
        with CaptureQueriesContext(connection) as captured:
            client.get(f"{url}?page={page}")
        return len(captured)

    # Sectors by display order, then slug: one (1 case), four (4), three (3), six (6), five (5).
    assert listed(client, f"{url}?page=1") == ["one-0", "four-2", "four-1", "four-0"]  # two sectors
    assert listed(client, f"{url}?page=2") == ["four-3", "three-2", "three-1", "three-0"]  # two sectors
    assert listed(client, f"{url}?page=3") == ["six-2", "six-5", "six-1", "six-4"]  # one sector
    assert queries(1) == queries(2) == queries(3)


@pytest.mark.usefixtures("small_pages", "sectors_of_every_size")
def test_the_result_count_comes_from_the_facet_counts(client):
    html = client.get(reverse("projects:case_list") + "?kind=construction").content.decode()
    expected = Case.objects.published().filter(kind=WorkKind.CONSTRUCTION).count()
    assert f"<strong>{expected}</strong> cases match" in html


def test_grouped_results_slices_like_a_list(db, sectors_of_every_size):
    from projects.models import Sector

    queryset = Case.objects.published()
    sizes = {pk: queryset.filter(sector=pk).count() for pk in Sector.objects.values_list("pk", flat=True)}
    groups = [(pk, sizes[pk]) for pk in Sector.objects.order_by("order", "slug").values_list("pk", flat=True)]
    results = GroupedResults(queryset, "sector", groups, ("title", "slug"))
    everything = list(queryset.order_by("sector__order", "sector__slug", "title", "slug"))
    assert results.count() == len(results) == len(everything) == 19
    for start in range(0, 21):
        for stop in range(start, 22):
            assert list(results[start:stop]) == everything[start:stop], (start, stop)
    assert list(results[5:]) == everything[5:]
    with pytest.raises(TypeError):
        results[3]
