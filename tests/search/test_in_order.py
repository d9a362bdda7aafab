"""The words of the cases' names in title order (projects 0018, core.search.NamesInOrder): kept by triggers
whoever writes the cases, and read for the level of the names of a one-word search a page at a time, which
is the page ranking every match gives."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core import search
from projects.models import Case
from projects.search_text import CASE_NAMES_IN_ORDER
from tests.search.helpers import (
    analyze,
    follows_an_import,
    follows_deletes_and_truncation,
    ranked,
    spy,
    synthetic_cases_and_korean_names,
    table_rows,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="THE WORDS IN ORDER ARE A POSTGRESQL TABLE: run with DATABASE_URL=postgres://... (CI does).",
)


@pytest.fixture
def data(db, make_case, make_sector):
    water = synthetic_cases_and_korean_names(make_case, make_sector)
    make_case("twice", title="Water and waterworks", sector=water)
    analyze()


def in_order_rows():
    """Every row of the table as its triggers wrote it: (word, title, slug, case key), sorted."""
    return table_rows(CASE_NAMES_IN_ORDER)


def expected_rows():
    """The rows as the cases' own columns and search texts say they should be."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT names.word, title, slug, id FROM projects_case, "
            f"unnest(tsvector_to_array({search.NARROW_WORDS_FUNCTION}(search_text))) AS names (word)"
        )
        return sorted(cursor.fetchall())


def test_the_table_holds_each_word_of_the_names_with_the_sort_keys(data):
    case = Case.objects.get(slug="korean")
    rows = {word: rest for word, *rest in in_order_rows() if rest[2] == case.pk}
    for word in ["transport", "card", "서울시의", "울시의", "교통카드", "통카드", "카드"]:
        assert rows[word] == ["Transport card", "korean", case.pk], word
    assert "management" not in rows and "상수도관리" not in rows  # the sector's names are not the case's
    assert in_order_rows() == expected_rows()


def test_the_table_follows_every_write_of_the_cases(data, make_case, make_sector):
    """Saves, a parent's rename (the cases' texts rebuilt in bulk), bulk updates, deletes, truncation: the
    triggers keep the table as the cases' columns say, whoever writes them."""
    sector = make_sector("harbours", name="Harbours", name_ko="항만")
    case = make_case("in-order-case", title="Harbour dredging", sector=sector)
    assert ("dredging", "Harbour dredging", "in-order-case", case.pk) in in_order_rows()
    case.title = "River dredging"
    case.save()
    sector.name = "Ports and rivers"
    sector.save()  # the sector's cases' search texts are rebuilt (core.search.changed: a bulk update)
    assert in_order_rows() == expected_rows()
    Case.objects.filter(pk=case.pk).update(slug="in-order-renamed")
    assert ("river", "River dredging", "in-order-renamed", case.pk) in in_order_rows()
    Case.objects.filter(pk=case.pk).update(title="River dredging")  # the same title: nothing to redo
    assert in_order_rows() == expected_rows()
    follows_deletes_and_truncation(case, in_order_rows, expected_rows)


def test_loaded_and_imported_cases_are_in_the_table(shipped_data, settings):
    follows_an_import(settings, in_order_rows, expected_rows, title="Renamed for the import to put back")


@pytest.mark.parametrize("query", ["water", "transport", "thailand", "교통", "카드", "seoul", "w", "zzqx"])
@pytest.mark.parametrize("window", [1000, 15])
def test_a_page_with_the_words_in_order_is_the_page_of_the_ranked_list(data, query, window, monkeypatch):
    """Whatever the list's other filters, wherever the level's rows lie in the title order."""
    monkeypatch.setattr(search, "WINDOW", window)
    sector = Case.objects.get(slug="korean").sector
    for queryset in (Case.objects.published(), Case.objects.published().filter(sector=sector), Case.objects.all()):
        everything = list(ranked(query, queryset).values_list("pk", flat=True))
        for start, stop in [(0, 20), (20, 40), (0, 300)]:
            assert search.ordered_keys(ranked(query, queryset), slice(start, stop)) == everything[start:stop], (
                query,
                start,
            )


def test_the_level_of_the_names_is_read_in_order_before_the_first_rows(data, monkeypatch):
    """For "water" (dozens of cases with it in their titles, past the first rows of the title order) the first
    page comes from the words in order alone: the list's first rows are not read, nor the narrow table."""
    monkeypatch.setattr(search, "WINDOW", 15)
    read = spy(monkeypatch, "in_order_keys")
    windows = []
    first_rows = search.FirstRows.read
    monkeypatch.setattr(search.FirstRows, "read", lambda self: windows.append(1) or first_rows(self))
    with CaptureQueriesContext(connection) as queries:
        keys = search.ordered_keys(ranked("water"), slice(0, 20))
    assert keys == list(ranked("water").values_list("pk", flat=True)[:20])
    assert read and len(read[0]) == 20 and not windows
    assert not any("projects_case_words" in query["sql"] for query in queries.captured_queries)


def test_a_case_whose_names_hold_two_forms_of_the_word_comes_once(data):
    twice = Case.objects.get(slug="twice")
    rows = search.narrowed(ranked("water"), search.lexeme("water", search.NAME_TAG), "search_text")
    found = CASE_NAMES_IN_ORDER.first_keys(rows, "water", 500)
    keys = [key for key, _among in found]
    assert keys.count(twice.pk) == 1 and len(keys) == len(set(keys))
    holding = Case.objects.filter(search_text__regex=r"^[^\n]* water").order_by("title", "slug")
    assert keys == list(holding.values_list("pk", flat=True))
    published = set(holding.filter(status="published").values_list("pk", flat=True))
    assert {key for key, among in found if among} == published  # (the list: published rows)


def test_a_word_starting_too_many_words_is_read_from_the_narrow_table(data, monkeypatch):
    monkeypatch.setattr(search, "WINDOW", 15)
    monkeypatch.setattr(search.WordsInOrder, "FORMS_MAX", 1)  # "water" starts "water" and "waterworks"
    read = spy(monkeypatch, "in_order_keys")
    narrow = spy(monkeypatch, "narrow_keys")
    assert search.ordered_keys(ranked("water"), slice(0, 20)) == list(ranked("water").values_list("pk", flat=True)[:20])
    assert read == [None] and narrow[0]


def test_korean_pages_read_their_own_table_and_several_words_the_narrow_table(data, monkeypatch):
    """The table is in the English pages' order: a Korean page's (the Korean title first) has a table of its
    own (tests/search/test_korean_order.py); a level of several words (every word in the names) is read from
    the narrow table, as before."""
    monkeypatch.setattr(search, "WINDOW", 15)
    tables = []
    merged = search.WordsInOrder.merged
    monkeypatch.setattr(
        search.WordsInOrder, "merged", lambda self, *args: tables.append(self.table) or merged(self, *args)
    )
    with translation.override("ko"):
        for query in ["water", "교통"]:
            assert search.ordered_keys(ranked(query), slice(0, 40)) == list(
                ranked(query).values_list("pk", flat=True)[:40]
            )
    assert tables and CASE_NAMES_IN_ORDER.table not in tables
    tables.clear()
    narrow = spy(monkeypatch, "narrow_keys")
    assert search.ordered_keys(ranked("seoul water"), slice(0, 20)) == list(
        ranked("seoul water").values_list("pk", flat=True)[:20]
    )
    assert tables == [] and narrow  # (dozens of matches: read by levels, the names' level from the narrow table)


def test_the_words_in_order_are_read_from_their_index_alone(data, monkeypatch):
    """The words starting with the query word, then each one's first rows, from the B-tree on (word, title,
    slug): no scan of the table, no sort of a word's rows (the one sort merges the words' first rows); each
    row looked up in the list by its key. (With 300 cases the planner would rather read a few pages than
    walk an index; at 100,000 it walks them of its own accord: bench/README.md.)"""
    monkeypatch.setattr(search, "WINDOW", 15)
    with CaptureQueriesContext(connection) as queries:
        search.ordered_keys(ranked("water"), slice(0, 20))
    (statement,) = [query["sql"] for query in queries.captured_queries if "WITH RECURSIVE" in query["sql"]]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {statement}")
        explained = "\n".join(row for (row,) in cursor.fetchall())
    scans = re.findall(r"(\w+(?: \w+)* Scan)(?: using (\w+))? on (\w+)", explained)
    assert {scan for scan in scans if scan[2] == CASE_NAMES_IN_ORDER.table} == {
        ("Index Only Scan", "projects_case_name_words_order", CASE_NAMES_IN_ORDER.table)
    }, explained
    assert ("Index Scan", "projects_case_pkey", "projects_case") in scans, explained
    assert explained.count("Sort Key") == 1, explained


def test_a_prefix_ends_at_the_next_character():
    assert search.prefix_end("water") == "wates"
    assert search.prefix_end("교통") == "교" + chr(ord("통") + 1)
    assert search.prefix_end("a\ud7ff") == "a\ue000"  # (the surrogates are skipped)
    words = sorted(
        ["wat", "water", "waterworks", "wates", "watf", "waterz", "교통", "교통카드", search.prefix_end("교통")]
    )
    assert [word for word in words if "water" <= word < search.prefix_end("water")] == [
        "water",
        "waterworks",
        "waterz",
    ]
    assert [word for word in words if "교통" <= word < search.prefix_end("교통")] == ["교통", "교통카드"]
