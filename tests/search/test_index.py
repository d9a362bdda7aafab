"""On PostgreSQL the search reads the GIN index of its words (the ``search_words`` column) for English words
and Korean words of any length, and a page of the best matches of a common word is read a score at a time,
in the same order as ranking every match would give."""

import re

import pytest
from django.db import connection, transaction
from django.utils import translation

from core import search
from dataio import synthetic
from listing.paging import KeysFirst
from projects.filters import CaseFilter
from projects.models import Case, City
from search.engine import BY_KEY
from tests.search.helpers import analyze, synthetic_cases_and_korean_names

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="EXPLAIN CHECKS OF THE SEARCH INDEX NEED POSTGRESQL: run with DATABASE_URL=postgres://... (CI does).",
)


@pytest.fixture
def data(db, make_case, make_sector):
    synthetic_cases_and_korean_names(make_case, make_sector, cases=400)
    analyze()


def plan(queryset, *settings):
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in ("enable_seqscan", *settings):
            cursor.execute(f"SET LOCAL {setting} = off")
        return queryset.explain()


def used(explained):
    return set(re.findall(r"(?:Index Only Scan using|Index Scan using|Bitmap Index Scan on) (\w+)", explained))


def test_the_search_column_has_a_word_index(data):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'case_search_words'")
        (definition,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%%_search_trgm'")
        (trigram_indexes,) = cursor.fetchone()
    assert "USING gin (search_words)" in definition
    assert trigram_indexes == 0  # the trigram indexes are gone: nothing reads them


@pytest.mark.parametrize("query", ["thailand", "bogotá", "상수도", "교통", "서울", "transit card"])
def test_a_case_search_reads_the_word_index(data, query):
    """The condition the search writes is one the index serves, whatever the word. (With 400 cases the
    planner rightly prefers the status index when the query also asks for published rows; at 100,000 it
    takes the word index of its own accord: bench/search.py prints the plans.)"""
    explained = plan(CaseFilter({"q": query}, queryset=Case.objects.all()).qs[:20])
    assert "case_search_words" in used(explained), explained
    assert "Index Cond: (search_words @@ '" in explained, explained


def test_the_words_of_a_row_are_its_index_entries(data):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {search.WORDS_FUNCTION}(search_text)::text FROM projects_case WHERE slug = 'korean'")
        (vector,) = cursor.fetchone()
    for entry in [
        "'교통카드'",
        "'~n교통카드'",
        "'~n서울시의'",
        "'울시의'",
        "'management'",
        "'상수도관리'",
        "'수도관리'",
    ]:
        assert entry in vector, vector
    assert "'~nmanagement'" not in vector  # the sector's name is not the case's own name
    assert list(search.search(Case.objects.all(), "교통").values_list("slug", flat=True)) == ["korean"]


def page_plan(query, rows):
    """The plan of the first score level of a case page (relevance order): the level query alone."""
    queryset = CaseFilter({"q": query}, queryset=rows).qs
    annotation, rest = search.ranking_of(queryset)
    level = search.score_levels(annotation.words)[0]
    return search.narrowed(queryset, level, annotation.column).order_by(*rest).values_list("pk", flat=True)[:20]


def test_a_score_level_reads_the_word_index_or_walks_the_title_index(data):
    """Few rows at a level: the word index finds them and they are sorted; many: the (status, title, slug)
    index is read in order, each row checked, until the page is full (no sort of every match)."""
    few = plan(page_plan("transport", Case.objects.all()))  # (published: the status index, at 400 cases)
    assert "case_search_words" in used(few), few
    many = plan(page_plan("transport", Case.objects.published()), "enable_bitmapscan", "enable_sort")
    assert any(name.startswith("projects_ca_status_") for name in used(many)), many
    assert "Sort" not in many, many
    assert many.count("@@") == 1, many  # the level's words replace the search's, not added to them


@pytest.mark.parametrize(
    "query", ["seoul", "transport", "water", "교통", "상수도", "thailand", "bus transit", "seoul water plant", "zzqx"]
)
@pytest.mark.parametrize("window", [1000, 15])
def test_a_page_read_a_score_at_a_time_is_the_page_of_the_ranked_list(data, query, window, monkeypatch):
    """``ordered_keys`` gives, page by page, exactly the rows that scoring and sorting every match gives,
    whether a level's rows lie among the first rows of the title order (the window) or past it."""
    monkeypatch.setattr(search, "WINDOW", window)
    ranked = CaseFilter({"q": query}, queryset=Case.objects.published()).qs
    everything = list(ranked.values_list("pk", flat=True))
    assert len(everything) == len(set(everything))
    for start, stop in [(0, 20), (20, 40), (100, 120), (0, 500)]:
        assert search.ordered_keys(ranked, slice(start, stop)) == everything[start:stop], (query, start)
    cases = BY_KEY["cases"].matches(query)
    assert [case.pk for case in KeysFirst(cases)[:5]] == list(cases.values_list("pk", flat=True)[:5])


def test_a_city_search_reads_its_word_index(data):
    explained = plan(search.search(City.objects.all(), "thailand"))
    assert "city_search_words" in used(explained), explained


def test_a_common_words_count_is_an_estimate_and_says_so(client, data, monkeypatch, settings):
    """Above ``EXACT_UP_TO`` matches the count is the planner's estimate, shown as "about", and the pages
    reach the first ``EXACT_UP_TO`` results."""
    monkeypatch.setattr(search, "EXACT_UP_TO", 50)
    settings.SEARCH_RESULTS_PER_PAGE = 20
    exact = Case.objects.published().filter(search_text__contains=" seoul").count()
    assert exact > 300
    html = client.get("/search/?q=seoul").content.decode()
    about = re.search(r'id="results-cases">[^<]*<span class="search-count">\(about ([\d,]+)\)', html)
    assert about and abs(int(about.group(1).replace(",", "")) - exact) <= exact * 0.2, html
    assert "About <strong>" in html
    assert client.get("/search/?q=seoul&kind=cases&page=3").status_code == 200  # results 41 to 50
    last = client.get("/search/?q=seoul&kind=cases&page=4")
    assert last.status_code == 404 and "the results have 3 pages" in last.content.decode()
    few = client.get("/search/?q=transport+card").content.decode()
    assert "about" not in re.search(r'id="results-cases">(.*?)</h2>', few).group(1)


@pytest.mark.parametrize("window", [1000, 15])
def test_a_korean_page_read_a_score_at_a_time_is_the_page_of_the_ranked_list(data, window, monkeypatch):
    """Korean pages sort by the Korean title where there is one: the levels keep that order too."""
    monkeypatch.setattr(search, "WINDOW", window)
    with translation.override("ko"):
        for query in ["seoul", "교통", "상수도"]:
            ranked = CaseFilter({"q": query}, queryset=Case.objects.published()).qs
            everything = list(ranked.values_list("pk", flat=True))
            assert search.ordered_keys(ranked, slice(0, 40)) == everything[:40], query


def test_a_korean_pages_title_order_has_its_index(data):
    with translation.override("ko"):
        queryset = CaseFilter({"q": "seoul"}, queryset=Case.objects.published()).qs
        _annotation, rest = search.ranking_of(queryset)
        window = search.without_words(queryset).order_by(*rest).values("pk")[: search.WINDOW]
        explained = plan(window, "enable_bitmapscan", "enable_sort")
    assert "case_korean_title_idx" in used(explained), explained


# --- the cases' narrow table (projects 0016, core.search.NarrowWords) -------------------------------------


def narrow_rows():
    """Every row of the narrow table as its triggers wrote it, by case key."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT case_id, title, title_ko, slug, search_words::text FROM projects_case_words")
        return {key: rest for key, *rest in cursor.fetchall()}


def expected_rows():
    """The narrow table's rows as the cases' own columns and search text say they should be."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, title, title_ko, slug, {search.NARROW_WORDS_FUNCTION}(search_text)::text FROM projects_case"
        )
        return {key: rest for key, *rest in cursor.fetchall()}


def test_the_narrow_table_holds_the_words_of_the_names(data):
    case = Case.objects.get(slug="korean")
    (title, title_ko, slug, words) = narrow_rows()[case.pk]
    assert (title, title_ko, slug) == ("Transport card", "서울시의 교통카드 시스템", "korean")
    for entry in ["'transport'", "'교통카드'", "'서울시의'", "'울시의'"]:
        assert entry in words, words
    assert "'management'" not in words and "'~n" not in words  # not the sector's name; no tags
    assert narrow_rows() == expected_rows()


def test_the_narrow_table_follows_every_write_of_the_cases(data, make_case, make_sector):
    """Saves, a parent's rename (the cases' texts rebuilt in bulk), bulk updates, deletes: the triggers
    keep the narrow table as the cases' columns say, whoever writes them."""
    sector = make_sector("harbours", name="Harbours", name_ko="항만")
    case = make_case("narrow-case", title="Harbour dredging", sector=sector)
    assert narrow_rows()[case.pk][0] == "Harbour dredging"
    case.title = "River dredging"
    case.save()
    sector.name = "Ports and rivers"
    sector.save()  # the sector's cases' search texts are rebuilt (core.search.changed: a bulk update)
    assert narrow_rows() == expected_rows()
    Case.objects.filter(pk=case.pk).update(slug="narrow-case-renamed")
    assert narrow_rows()[case.pk][0::2] == ["River dredging", "narrow-case-renamed"]
    assert narrow_rows() == expected_rows()
    case.delete()
    assert case.pk not in narrow_rows()
    Case.objects.filter(slug__startswith=synthetic.PREFIX).delete()
    assert narrow_rows() == expected_rows()


def test_imported_cases_are_in_the_narrow_table(db, settings):
    from dataio.importer import import_fixtures
    from dataio.layout import FIXTURE_NAMES

    report = import_fixtures([settings.BASE_DIR / "fixtures" / f"{name}.json" for name in FIXTURE_NAMES])
    assert not report.problems
    assert len(narrow_rows()) == Case.objects.count() > 0
    assert narrow_rows() == expected_rows()


def test_loaded_cases_are_in_the_narrow_table(shipped_data):
    """``loaddata`` (as the shipped data's raw rows: one bulk insert per table, then the search texts)."""
    assert len(narrow_rows()) == Case.objects.count() > 0
    assert narrow_rows() == expected_rows()


@pytest.mark.parametrize("query", ["transport", "water", "thailand", "교통", "seoul water", "zzqx"])
def test_a_level_past_the_window_is_sorted_from_the_narrow_table(data, query, monkeypatch):
    """With a small window the level of the names comes from the narrow table, and the page is still the
    page of ranking every match, with other filters too (which the narrow table does not hold: its
    candidates are checked against the list)."""
    monkeypatch.setattr(search, "WINDOW", 15)
    read = []
    narrow_keys = search.narrow_keys
    monkeypatch.setattr(search, "narrow_keys", lambda *args: read.append(narrow_keys(*args)) or read[-1])
    sector = Case.objects.get(slug="korean").sector
    for queryset in (Case.objects.published(), Case.objects.published().filter(sector=sector), Case.objects.all()):
        ranked = CaseFilter({"q": query}, queryset=queryset).qs
        everything = list(ranked.values_list("pk", flat=True))
        for start, stop in [(0, 20), (20, 40), (0, 300)]:
            assert search.ordered_keys(ranked, slice(start, stop)) == everything[start:stop], (query, start)
    if query in ("transport", "water", "thailand"):  # (tens of matches: their levels lie past the window)
        assert any(keys for keys in read), read


def test_a_level_of_what_cases_belong_to_is_read_parent_by_parent(data, monkeypatch):
    """The last level of a one-word search (the word only in the names of a case's sector, category,
    country or cities) is read a parent at a time from its index in title order: the same page."""
    monkeypatch.setattr(search, "WINDOW", 15)
    read = []
    parent_keys = search.parent_keys
    monkeypatch.setattr(search, "parent_keys", lambda *args: read.append(parent_keys(*args)) or read[-1])
    city = City.objects.filter(slug__startswith=synthetic.PREFIX, cases__isnull=False).order_by("slug").first()
    sector = Case.objects.get(slug="korean").sector
    for query in ["transport", city.name, "수도", "metro"]:
        read.clear()
        for queryset in (Case.objects.published(), Case.objects.published().filter(sector=sector), Case.objects.all()):
            ranked = CaseFilter({"q": query}, queryset=queryset).qs
            everything = list(ranked.values_list("pk", flat=True))
            for start, stop in [(0, 20), (20, 40), (0, 300)]:
                assert search.ordered_keys(ranked, slice(start, stop)) == everything[start:stop], (query, start)
        if query == "transport":  # (tens of cases of the sector past the window; the others are few)
            assert any(keys for keys in read), read
    with translation.override("ko"):  # the Korean title order (the parents from their own table): the same page
        ranked = CaseFilter({"q": "transport"}, queryset=Case.objects.published()).qs
        assert search.ordered_keys(ranked, slice(0, 40)) == list(ranked.values_list("pk", flat=True)[:40])


def test_a_parents_rows_are_read_in_title_order_from_its_index(data):
    """Each parent's rows of a level come from an index in the list's order (the sector's, the country's
    or the category's, each with the title after it): no sort of the parent's rows."""
    queryset = CaseFilter({"q": "transport"}, queryset=Case.objects.published()).qs
    annotation, rest = search.ranking_of(queryset)
    level = search.score_levels(annotation.words)[-1]
    rows = search.narrowed(queryset, level, annotation.column)
    case = Case.objects.exclude(category=None).first()
    for condition, columns in [
        ({"sector": case.sector}, ("status", "sector_id", "title", "slug")),
        ({"country": case.country}, ("status", "country_id", "title", "slug")),
        ({"category": case.category}, ("status", "category_id", "title", "slug")),
    ]:
        explained = plan(rows.filter(**condition).order_by(*rest).values("pk")[:20], "enable_bitmapscan", "enable_sort")
        assert index_names(columns) & used(explained), explained
        assert "Sort" not in explained, explained


def index_names(columns):
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Case._meta.db_table)
    return {name for name, info in found.items() if info["index"] and tuple(info["columns"]) == columns}
