"""The facet counts of /cases/ and /cities/ in the cache, under the content generation.

Each test gets a cache of its own (local memory, under a name no other test shares) and turns the facet
cache on with ``FACET_CACHE_SECONDS``: by default it is on only with a cache shared between processes.
The page cache stays off, so every request renders the page and only the counts can come from the cache.
"""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from core.content import Status
from projects.filters import CaseFilter, CityFilter
from projects.models import Region, Relationship, WorkKind
from tests.conftest import labelled_counts

CASES = reverse("projects:case_list")
CITIES = reverse("projects:city_list")
# The queries a miss runs and a hit skips: the cells alone. The keys of the related tables they group by
# (sector, country) come from the rows the filter form read for its choices (listing.forms.RowsReadOnce).
COUNTING_QUERIES = {CaseFilter: 1, CityFilter: 1}


def local_cache():
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}}


@pytest.fixture
def facet_cache():
    with override_settings(CACHES=local_cache(), FACET_CACHE_SECONDS=600, PAGE_CACHE_SECONDS=0):
        yield


@pytest.fixture
def dataset(make_case, make_sector, make_country):
    thailand = make_country("TH", "Thailand", Region.SOUTHEAST_ASIA)
    peru = make_country("PE", "Peru", Region.LATIN_AMERICA)
    transportation = make_sector("transportation", name="Transportation")
    waterworks = make_sector("waterworks", name="Waterworks")
    for number in range(6):
        make_case(
            f"case-{number}",
            sector=(transportation, waterworks)[number % 2],
            country=(thailand, peru)[number % 3 == 0],
            kind=(WorkKind.CONSULTING, WorkKind.CONSTRUCTION)[number < 2],
            year_start=2010 + number,
        )
    return {"transportation": transportation, "waterworks": waterworks, "thailand": thailand, "peru": peru}


def get(client, url):
    """(page HTML, number of SQL queries) of one request."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries)


@pytest.mark.usefixtures("facet_cache")
@pytest.mark.parametrize(("url", "filterset"), [(CASES, CaseFilter), (CITIES, CityFilter)])
def test_the_second_request_skips_every_facet_query_and_shows_the_same_counts(
    client, dataset, make_city, url, filterset
):
    make_city("bangkok", country=dataset["thailand"], relationship=Relationship.SISTER)
    get(client, url + "?q=zzz")  # the first request of a process runs queries later ones do not
    first_html, missed = get(client, url)
    second_html, hit = get(client, url)
    assert missed - hit == COUNTING_QUERIES[filterset]
    assert second_html == first_html
    assert labelled_counts(second_html, "country") == labelled_counts(first_html, "country")


@pytest.mark.usefixtures("facet_cache")
def test_saving_a_case_makes_the_counts_fresh_on_the_next_request(client, dataset, make_case):
    url = CASES + "?kind=consulting"
    assert labelled_counts(get(client, url)[0], "sector") == {"transportation": 2, "waterworks": 2}
    assert labelled_counts(get(client, url)[0], "sector") == {"transportation": 2, "waterworks": 2}  # cached

    draft = make_case("draft", sector=dataset["waterworks"], country=dataset["peru"], status=Status.DRAFT)
    assert labelled_counts(get(client, url)[0], "sector") == {"transportation": 2, "waterworks": 2}
    draft.status = Status.PUBLISHED
    draft.save()
    assert labelled_counts(get(client, url)[0], "sector") == {"transportation": 2, "waterworks": 3}


@pytest.mark.usefixtures("facet_cache")
def test_changing_a_case_s_sector_moves_its_count(client, dataset):
    from projects.models import Case

    url = CASES + "?country=PE"
    before = labelled_counts(get(client, url)[0], "sector")
    case = Case.objects.get(slug="case-0")  # Peru, transportation
    case.sector = dataset["waterworks"]
    case.save()
    after = labelled_counts(get(client, url)[0], "sector")
    assert after["transportation"] == before["transportation"] - 1
    assert after["waterworks"] == before["waterworks"] + 1


@pytest.mark.usefixtures("facet_cache")
def test_different_searches_and_years_do_not_share_an_entry(client, dataset):
    get(client, CASES + "?q=zzz")  # warm the process
    _, all_years_missed = get(client, CASES)
    recent_html, recent_queries = get(client, CASES + "?year_from=2012")
    early_html, early_queries = get(client, CASES + "?year_to=2011")
    # Each a miss (its own entry), and a year filter also counts the cases with no known year it leaves out.
    assert recent_queries == early_queries == all_years_missed + 1
    assert labelled_counts(recent_html, "sector") == {"transportation": 2, "waterworks": 2}  # 2012–2015
    assert labelled_counts(early_html, "sector") == {"transportation": 1, "waterworks": 1}  # 2010–2011


@pytest.mark.usefixtures("facet_cache")
def test_every_choice_of_facets_shares_one_entry_and_counts_as_without_the_cache(client, dataset):
    facet_queries = [
        "?kind=consulting",
        "?kind=construction",
        "?sector=waterworks",
        "?sector=transportation",
        "?sector=transportation&sector=waterworks",
        "?region=latin-america&kind=consulting",
        "?country=TH&sector=waterworks",
    ]

    def counts(html):
        return {name: labelled_counts(html, name) for name in ("sector", "country")}

    get(client, CASES + "?q=zzz")  # warm the process
    without_cache = {}
    with override_settings(FACET_CACHE_SECONDS=0):
        for query in facet_queries:
            html, queries = get(client, CASES + query)
            without_cache[query] = (counts(html), queries)
    get(client, CASES)  # counts every choice of facets
    with_cache = {}
    for query in facet_queries:
        html, queries = get(client, CASES + query)
        assert queries == without_cache[query][1] - COUNTING_QUERIES[CaseFilter], query  # a hit
        with_cache[query] = counts(html)
        assert with_cache[query] == without_cache[query][0], query
    assert with_cache["?kind=consulting"]["sector"] == {"transportation": 2, "waterworks": 2}
    assert with_cache["?kind=construction"]["sector"] == {"transportation": 1, "waterworks": 1}
    assert with_cache["?sector=waterworks"]["country"] == {"PE": 1, "TH": 2}
    assert with_cache["?sector=transportation&sector=waterworks"]["country"] == {"PE": 2, "TH": 4}
    assert with_cache["?country=TH&sector=waterworks"]["sector"] == {"transportation": 2, "waterworks": 2}


@pytest.mark.usefixtures("facet_cache")
def test_a_filter_set_over_other_rows_does_not_share_an_entry(dataset, make_case):
    from projects.models import Case

    make_case("draft", sector=dataset["waterworks"], country=dataset["peru"], status=Status.DRAFT)
    assert CaseFilter({}).facet_counts()["sector"] == {"transportation": 3, "waterworks": 3}
    assert CaseFilter({}, queryset=Case.objects.all()).facet_counts()["sector"] == {
        "transportation": 3,
        "waterworks": 4,
    }
    assert CaseFilter({}).facet_counts()["sector"] == {"transportation": 3, "waterworks": 3}


@pytest.mark.usefixtures("facet_cache")
def test_the_english_and_korean_pages_share_an_entry(client, dataset):
    get(client, CASES + "?q=zzz")  # warm the process
    _, missed = get(client, CASES)
    _, hit = get(client, "/ko" + CASES)
    assert missed - hit == COUNTING_QUERIES[CaseFilter]


@pytest.mark.usefixtures("facet_cache")
def test_the_order_and_the_order_of_values_share_an_entry(client, dataset):
    get(client, CASES + "?q=zzz")  # warm the process
    _, missed = get(client, CASES + "?year_from=2000&q=case")
    _, hit = get(client, CASES + "?q=case&year_from=2000&ordering=-title")
    assert missed - hit == COUNTING_QUERIES[CaseFilter]


@pytest.mark.usefixtures("facet_cache")
def test_an_invalid_form_is_never_cached(client, dataset):
    from django.core.cache import cache

    assert client.get(CASES + "?sector=nope").status_code == 400
    assert client.get(CASES + "?year_from=2020&year_to=2010").status_code == 400
    assert not [key for key in cache._cache if "facet-cells" in key]
    client.get(CASES)
    assert [key for key in cache._cache if "facet-cells" in key]


def test_a_process_local_cache_keeps_no_counts_by_default(client, dataset, settings):
    """Another worker could not bump its generation: the counts are made on every request."""
    if hasattr(settings, "FACET_CACHE_SECONDS"):
        del settings.FACET_CACHE_SECONDS  # the default, whatever the settings say
    with override_settings(CACHES=local_cache()):
        get(client, CASES + "?region=southeast-asia")
        _, first = get(client, CASES)
        _, second = get(client, CASES)
    assert first == second


def test_an_unreachable_cache_still_gives_the_counts(client, dataset):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with override_settings(CACHES=unreachable, PAGE_CACHE_SECONDS=0):
        html, _ = get(client, CASES)
    assert labelled_counts(html, "sector") == {"transportation": 3, "waterworks": 3}


# ---------- the cells' index (listing.facets.FacetCells) ----------


def random_cells(seed, count=400):
    import random

    rng = random.Random(seed)
    names = ["sector", "country", "region", "kind"]
    choices = {
        "sector": ["transportation", "water", "e-government"],
        "country": ["TH", "PE", "PH", None],
        "region": ["southeast-asia", "latin-america"],
        "kind": ["consulting", "construction", "design"],
    }
    cells = [(tuple(rng.choice(choices[name]) for name in names), rng.randint(1, 9)) for _ in range(count)]
    return names, cells, choices


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(
    "chosen",
    [
        {},
        {"sector": {"transportation"}},
        {"sector": {"transportation"}, "country": {"PH"}},
        {"sector": {"transportation", "water"}, "country": {"PH", "TH"}, "kind": {"design"}},
        {"country": {"None"}, "region": {"latin-america"}},
        {"sector": {"nope"}},
        {"sector": {"water"}, "country": {"PE"}, "region": {"southeast-asia"}, "kind": {"consulting", "design"}},
    ],
)
def test_the_indexed_cells_count_what_every_cell_counts(seed, chosen):
    """``FacetCells.tally`` reads only the cells the filters leave; ``FacetTally.from_cells`` reads them all:
    the same counts, totals and order of keys."""
    from listing.facets import FacetCells, FacetTally

    names, cells, _ = random_cells(seed)
    expected = FacetTally.from_cells(names, cells, chosen)
    indexed = FacetCells(names, cells).tally(chosen)
    assert indexed.total == expected.total
    for name in names:
        assert list(indexed.counts[name].items()) == list(expected.counts[name].items()), name
        assert list(indexed.selected[name].items()) == list(expected.selected[name].items()), name


@pytest.mark.usefixtures("facet_cache")
def test_a_repeated_choice_of_facets_is_kept_in_the_process(client, dataset, monkeypatch):
    """The tally of a choice of facets is kept per content generation: the same choice again reads neither the
    cells nor the tally from the shared cache; another choice sums the kept cells."""
    from django.core.cache import caches

    from listing import facets

    get(client, CASES + "?sector=waterworks")  # counts and stores the cells
    reads = []
    cache = caches["default"]
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *args, **kwargs: reads.append(key) or real_get(key, *args, **kwargs))
    first, _ = get(client, CASES + "?sector=waterworks")
    other, _ = get(client, CASES + "?sector=waterworks&country=TH")
    assert not [key for key in reads if "facet-cells" in key]
    assert labelled_counts(other, "sector") == {"transportation": 2, "waterworks": 2}
    assert labelled_counts(first, "country") == {"PE": 1, "TH": 2}
    assert len(facets.kept_tallies.entries) >= 2
