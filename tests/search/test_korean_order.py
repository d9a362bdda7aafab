"""The words of the cases' names, and their sector, category and country, in the Korean pages' order (projects
0019, core.search.NamesInOrder): kept by triggers whoever writes the cases, and read on a Korean page for the
level of the names and for the level of a parent's names (the sector named 상수도), a page at a time, which is
the page ranking every match in the Korean title order gives."""

import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core import search
from dataio import synthetic
from projects.models import Case, CaseCategory, Sector
from projects.search_text import CASE_NAMES_IN_KOREAN_ORDER
from tests.search.helpers import follows_an_import, follows_deletes_and_truncation, ranked, spy, table_rows

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="THE WORDS IN ORDER ARE A POSTGRESQL TABLE: run with DATABASE_URL=postgres://... (CI does).",
)

# Korean titles whose order is not their English titles' (and one case with none: its English title sorts).
KOREAN_TITLES = ["하천 상수도 정비", "상수도 관로 교체", "", "가로 상수도 계획", "관로 조사"]


@pytest.fixture
def data(db, make_case, make_sector, make_category):
    synthetic.generate(cases=300, cities=30)
    # The synthetic waterworks cases (a few dozen) named in Korean by their sector and categories only.
    waterworks = Sector.objects.get(slug=f"{synthetic.PREFIX}waterworks")
    waterworks.name_ko = "상수도"
    waterworks.save()
    for number, category in enumerate(waterworks.categories.order_by("slug"), start=1):
        category.name_ko = f"관로 정비 {number}"
        category.save()
    water = make_sector("water-ko", name="Water management", name_ko="상수도관리")
    pipes = make_category("pipes", sector=water, name="Pipes", name_ko="관로")
    make_case("korean", title="Transport card", title_ko="서울시의 교통카드 시스템", sector=water)
    for number, korean in enumerate(KOREAN_TITLES):
        make_case(
            f"water-{number}",
            title=f"Water works {number}",
            title_ko=korean,
            sector=water,
            category=pipes if number % 2 else None,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def korean_rows():
    """Every row of the table as its triggers wrote it: (word, Korean sort key, slug, case key), sorted."""
    return table_rows(CASE_NAMES_IN_KOREAN_ORDER)


def expected_rows():
    """The rows as the cases say they should be: the words of the names (the search text before its "\\n")
    and a word for each parent, each with the Korean title (the English where there is none) and the slug."""
    rows = []
    for case in Case.objects.all():
        words = set(case.search_text.split(search.NAME_END)[0].split()) | {
            search.parent_word("sector", case.sector_id),
            search.parent_word("country", case.country_id),
        }
        if case.category_id is not None:
            words.add(search.parent_word("category", case.category_id))
        rows += [(word, case.title_ko or case.title, case.slug, case.pk) for word in words]
    return sorted(rows)


def test_the_table_holds_the_names_and_the_parents_with_the_korean_sort_key(data):
    case = Case.objects.get(slug="korean")
    rows = {word: rest for word, *rest in korean_rows() if rest[2] == case.pk}
    for word in ["transport", "card", "서울시의", "교통카드", "카드", f"~sector:{case.sector_id}"]:
        assert rows[word] == ["서울시의 교통카드 시스템", "korean", case.pk], word
    assert rows[f"~country:{case.country_id}"] and not any(word.startswith("~category:") for word in rows)
    assert "management" not in rows and "상수도관리" not in rows  # the sector's names are a word of their own
    untitled = Case.objects.get(slug="water-2")
    assert {key for _word, key, _slug, pk in korean_rows() if pk == untitled.pk} == {"Water works 2"}
    assert korean_rows() == expected_rows()


def test_the_table_follows_every_write_of_the_cases(data, make_case, make_sector, make_category):
    """Saves, a parent's rename (the cases' texts rebuilt in bulk), bulk updates of the Korean title (which
    the search text does not follow) and of the parents, deletes, truncation: the triggers keep the table as
    the cases' columns say, whoever writes them."""
    sector = make_sector("harbours", name="Harbours", name_ko="항만")
    case = make_case("korean-order-case", title="Harbour dredging", title_ko="항만 준설", sector=sector)
    assert ("준설", "항만 준설", "korean-order-case", case.pk) in korean_rows()
    case.title_ko = ""
    case.save()
    assert ("준설", "Harbour dredging", "korean-order-case", case.pk) not in korean_rows()
    assert ("dredging", "Harbour dredging", "korean-order-case", case.pk) in korean_rows()
    sector.name_ko = "항구"
    sector.save()  # the sector's cases' search texts are rebuilt (core.search.changed: a bulk update)
    assert korean_rows() == expected_rows()
    Case.objects.filter(pk=case.pk).update(title_ko="강 준설")  # the sort key alone
    assert ("dredging", "강 준설", "korean-order-case", case.pk) in korean_rows()
    other = make_sector("rivers", name="Rivers", name_ko="하천")
    category = make_category("dredging", sector=other, name="Dredging", name_ko="준설")
    Case.objects.filter(pk=case.pk).update(sector=other, category=category)
    assert (f"~category:{category.pk}", "강 준설", "korean-order-case", case.pk) in korean_rows()
    assert korean_rows() == expected_rows()
    Case.objects.filter(pk=case.pk).update(category=None, slug="korean-order-renamed")
    assert korean_rows() == expected_rows()
    follows_deletes_and_truncation(case, korean_rows, expected_rows)


def test_loaded_and_imported_cases_are_in_the_table(shipped_data, settings):
    assert Case.objects.exclude(title_ko="").exists()  # (the shipped cases' Korean titles are the sort keys)
    follows_an_import(settings, korean_rows, expected_rows, title_ko="", title="Renamed for the import to put back")


def korean_page(query, queryset, item):
    with translation.override("ko"):
        return search.ordered_keys(ranked(query, queryset), item)


def korean_ranked(query, queryset=None):
    """Every match scored and sorted at once, as a Korean page orders them: the straightforward query."""
    with translation.override("ko"):
        return list(ranked(query, queryset).values_list("pk", flat=True))


@pytest.mark.parametrize("query", ["water", "상수도", "관로", "교통", "transport", "thailand", "seoul", "zzqx"])
@pytest.mark.parametrize("window", [1000, 15])
def test_a_korean_page_is_the_page_of_the_ranked_list(data, query, window, monkeypatch):
    """Whatever the list's other filters (which the table does not hold: its rows are checked against the
    list), wherever the level's rows lie in the Korean title order."""
    monkeypatch.setattr(search, "WINDOW", window)
    sector = Case.objects.get(slug="korean").sector
    category = CaseCategory.objects.get(slug="pipes")
    for queryset in (
        Case.objects.published(),
        Case.objects.published().filter(sector=sector),
        Case.objects.published().filter(category=category),
        Case.objects.all(),
    ):
        everything = korean_ranked(query, queryset)
        for start, stop in [(0, 3), (0, 20), (20, 40), (0, 300)]:
            assert korean_page(query, queryset, slice(start, stop)) == everything[start:stop], (query, start)


def test_a_korean_page_reads_the_names_and_the_parents_from_the_table(data, monkeypatch):
    """ "water" (dozens of cases with it in their titles), 상수도 (in Korean titles, and the Korean name of their
    sector) and 관로 (in Korean titles, and the Korean name of a category): the levels of the names and of the
    parents come from the table, in the Korean order; the first rows of that order are not read."""
    monkeypatch.setattr(search, "WINDOW", 15)
    names = spy(monkeypatch, "in_order_keys")
    parents = spy(monkeypatch, "parents_in_order")
    windows = []
    first_rows = search.FirstRows.read
    monkeypatch.setattr(search.FirstRows, "read", lambda self: windows.append(1) or first_rows(self))
    monkeypatch.setattr(search, "first_rows_hold_few", lambda *args: True)
    for query in ["water", "상수도", "관로"]:
        names.clear()
        parents.clear()
        assert korean_page(query, Case.objects.published(), slice(0, 300)) == korean_ranked(query)[:300]
        assert names and names[0], query
        if query != "water":  # (no sector, category or country is named "water…")
            assert parents and parents[0], query
    assert not windows
    ours = dict(Case.objects.filter(slug__startswith="water-").values_list("pk", "slug"))
    in_korean_order = [ours[key] for key in korean_ranked("관로") if key in ours]
    assert in_korean_order == ["water-4", "water-1", "water-3"]  # (in their names: 관로 조사, 상수도 관로 교체)


def test_english_pages_and_several_words_do_not_read_the_korean_table(data, monkeypatch):
    monkeypatch.setattr(search, "WINDOW", 15)
    read = []
    first_keys = search.WordsInOrder.merged
    monkeypatch.setattr(search.WordsInOrder, "merged", lambda self, *args: read.append(self) or first_keys(self, *args))
    for query in ["water", "상수도"]:
        assert search.ordered_keys(ranked(query), slice(0, 20)) == list(ranked(query).values_list("pk", flat=True)[:20])
    assert read and CASE_NAMES_IN_KOREAN_ORDER not in read
    read.clear()
    assert korean_page("water works", Case.objects.published(), slice(0, 20)) == korean_ranked("water works")[:20]
    assert read == []


def statement_plan(statement):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {statement}")
        return "\n".join(row for (row,) in cursor.fetchall())


@pytest.mark.parametrize("query", ["water", "상수도"])
def test_a_korean_pages_levels_are_read_from_the_tables_index_alone(data, query, monkeypatch):
    """Each word's (or parent's) first rows in the Korean order come from the B-tree on (word, Korean title,
    slug): no scan of the table, no sort of a word's rows (the one sort merges the words' first rows); each
    row looked up in the list by its key. (With 300 cases the planner would rather read a few pages than
    walk an index; at 100,000 it walks them of its own accord: bench/README.md.)"""
    monkeypatch.setattr(search, "WINDOW", 15)
    with CaptureQueriesContext(connection) as queries:
        korean_page(query, Case.objects.published(), slice(0, 20))
    table = CASE_NAMES_IN_KOREAN_ORDER.table
    statements = [query["sql"] for query in queries.captured_queries if f'"{table}"' in query["sql"]]
    assert len(statements) == (1 if query == "water" else 2), statements  # (상수도: its names, then its sector)
    for statement in statements:
        explained = statement_plan(statement)
        scans = re.findall(r"(\w+(?: \w+)* Scan)(?: using (\w+))? on (\w+)", explained)
        assert {scan for scan in scans if scan[2] == table} == {("Index Only Scan", f"{table}_order", table)}, explained
        assert ("Index Scan", "projects_case_pkey", "projects_case") in scans, explained
        assert explained.count("Sort Key") == 1, explained
