"""How ``core.search.ordered_keys`` reads each score level of a one-word search on PostgreSQL: whichever way
a level is read, the page is the page of ranking every match."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core import search
from projects.models import Case
from tests.search.helpers import analyze, ranked, spy, synthetic_cases_and_korean_names

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="THE SCORE LEVELS ARE READ ON POSTGRESQL ONLY: run with DATABASE_URL=postgres://... (CI does).",
)


@pytest.fixture
def data(db, make_case, make_sector):
    water = synthetic_cases_and_korean_names(make_case, make_sector)
    make_case("summary", title="Harbour", summary="A 상수도 network and the city's transport", sector=water)
    analyze()


def pages_are_right(queries):
    sector = Case.objects.get(slug="korean").sector
    for query in queries:
        for queryset in (Case.objects.published(), Case.objects.published().filter(sector=sector), Case.objects.all()):
            everything = list(ranked(query, queryset).values_list("pk", flat=True))
            for start, stop in [(0, 20), (20, 40), (0, 300)]:
                keys = search.ordered_keys(ranked(query, queryset), slice(start, stop))
                assert keys == everything[start:stop], (query, start)


@pytest.mark.parametrize("hold_few", [False, True])
def test_a_level_of_the_description_expected_small_is_read_from_the_word_index(data, hold_few, monkeypatch):
    """Expected to be few among the list's first rows, the level of the description is sorted from the word
    index without reading them; else it is looked for among them first. A word
    only in one case's description ("network") reads it either way."""
    monkeypatch.setattr(search, "WINDOW", 15)
    monkeypatch.setattr(search, "first_rows_hold_few", lambda *args: hold_few)
    pages_are_right(["seoul", "상수도", "transport", "network"])
    with translation.override("ko"):
        pages_are_right(["seoul", "상수도"])
    windows = []
    first_rows = search.FirstRows.read
    monkeypatch.setattr(search.FirstRows, "read", lambda self: windows.append(1) or first_rows(self))
    assert search.ordered_keys(ranked("seoul"), slice(0, 20)) == list(ranked("seoul").values_list("pk", flat=True)[:20])
    assert bool(windows) != hold_few  # ("seoul": a few titles, then every summary)


def test_a_level_of_the_description_expected_small_is_read_off_the_title_index(data, monkeypatch):
    """Expected few, the level is read with the title index and the sequential scan off: the planner, asked
    for a page of a level it overestimates (a word and not the same word in the names), would walk the titles
    in order looking for rows that are not there (bench/README.md, Search)."""
    monkeypatch.setattr(search, "WINDOW", 15)
    monkeypatch.setattr(search, "first_rows_hold_few", lambda *args: True)
    with CaptureQueriesContext(connection) as captured:
        keys = search.ordered_keys(ranked("seoul"), slice(0, 20))
    assert keys == list(ranked("seoul").values_list("pk", flat=True)[:20])
    statements = [query["sql"] for query in captured.captured_queries]
    level = next(number for number, sql in enumerate(statements) if "~bseoul" in sql and "ORDER BY" in sql)
    assert "set_config('enable_indexscan', 'off', true)" in statements[level - 1]
    assert "set_config('enable_seqscan', 'off', true)" in statements[level - 1]


def test_the_level_of_what_cases_belong_to_is_read_parent_by_parent_before_the_first_rows(data, monkeypatch):
    """The last level of "transport" (the cases of the sector named Transportation) comes from the parents'
    indexes alone, the levels before it from the words in order and the word index."""
    monkeypatch.setattr(search, "WINDOW", 15)
    monkeypatch.setattr(search, "first_rows_hold_few", lambda *args: True)
    parents = spy(monkeypatch, "parent_keys")
    windows = []
    first_rows = search.FirstRows.read
    monkeypatch.setattr(search.FirstRows, "read", lambda self: windows.append(1) or first_rows(self))
    keys = search.ordered_keys(ranked("transport"), slice(0, 300))
    assert keys == list(ranked("transport").values_list("pk", flat=True)[:300])
    assert parents and parents[-1] and not windows


def test_one_word_estimated_over_the_window_is_not_counted(data, monkeypatch):
    """A word the planner expects in more rows than the window is read by levels at once (its estimate is the
    word's own statistics); several words are counted first, as before."""
    monkeypatch.setattr(search, "WINDOW", 15)
    counted = spy(monkeypatch, "capped_count")
    assert search.ordered_keys(ranked("seoul"), slice(0, 20)) == list(ranked("seoul").values_list("pk", flat=True)[:20])
    assert counted == []
    search.ordered_keys(ranked("seoul water"), slice(0, 20))
    assert counted


def test_estimates_asked_together_are_those_asked_one_by_one(data):
    querysets = [ranked("seoul"), ranked("상수도"), Case.objects.filter(title__startswith="W")]
    assert search.estimates(*querysets) == [search.estimate(queryset) for queryset in querysets]
    assert search.estimates(querysets[0], Case.objects.none()) == [search.estimate(querysets[0]), 0]


def test_the_first_page_of_a_word_in_many_titles_takes_two_statements(data, monkeypatch):
    """The planner's estimates (the search's and its level of the description, together), then the first rows
    of the level of the names, checked against the list, in one statement."""
    monkeypatch.setattr(search, "WINDOW", 15)
    with CaptureQueriesContext(connection) as queries:
        keys = search.ordered_keys(ranked("water"), slice(0, 20))
    assert keys == list(ranked("water").values_list("pk", flat=True)[:20])
    assert len(queries.captured_queries) == 2, [query["sql"] for query in queries.captured_queries]


def test_the_first_rows_hold_few_of_a_level_spread_thinner_than_a_page_to_the_window():
    assert search.first_rows_hold_few(in_level=1_000, in_list=100_000, wanted=20)  # 10 in the first 1,000
    assert not search.first_rows_hold_few(in_level=95_000, in_list=100_000, wanted=20)
    assert not search.first_rows_hold_few(in_level=3_000, in_list=100_000, wanted=20)  # 30 in the first 1,000


def test_the_planner_settings_are_put_back_when_the_block_ends(db):
    """Within a transaction that goes on after it (a test's, any caller's), the planner's settings are as they
    were before the block: the rest of the transaction is not planned without an index scan."""

    def settings():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_indexscan'), current_setting('enable_seqscan')")
            return cursor.fetchone()

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    with search.planner_without(connection.alias, "indexscan", "seqscan"):
        assert settings() == ("off", "off")
    assert settings() == ("on", "off")
