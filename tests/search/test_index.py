"""On PostgreSQL the search reads the GIN trigram index of the search column, for English words, Korean words
of three syllables or more, and two-syllable Korean words (through their bigram tokens)."""

import re

import pytest
from django.db import connection, transaction

from core import search
from dataio import synthetic
from projects.filters import CaseFilter
from projects.models import Case, City

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="EXPLAIN CHECKS OF THE SEARCH INDEX NEED POSTGRESQL: run with DATABASE_URL=postgres://... (CI does).",
)


@pytest.fixture
def data(db, make_case, make_sector):
    synthetic.generate(cases=400, cities=40)
    water = make_sector("water-ko", name="Water management", name_ko="상수도관리")
    make_case("korean", title="Transport card", title_ko="서울시의 교통카드 시스템", sector=water)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def plan(queryset):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


def used(explained):
    return set(re.findall(r"(?:Index Only Scan using|Index Scan using|Bitmap Index Scan on) (\w+)", explained))


def test_the_search_column_has_a_trigram_index(data):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'case_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "USING gin (search_text gin_trgm_ops)" in definition


@pytest.mark.parametrize("query", ["thailand", "bogotá", "상수도", "교통", "서울", "transit card"])
def test_a_case_search_reads_the_trigram_index(data, query):
    """The condition the search writes is one the index serves, whatever the word. (With 400 cases the
    planner rightly prefers the status index when the query also asks for published rows; at 100,000 it
    takes the trigram index of its own accord: bench/search.py prints the plan.)"""
    explained = plan(CaseFilter({"q": query}, queryset=Case.objects.all()).qs[:20])
    assert "case_search_trgm" in used(explained), explained
    assert re.search(r"Index Cond: \(+search_text ~~", explained), explained


def test_the_two_syllable_korean_word_is_found_through_its_token(data):
    assert search.term_filter("교통") == search.models.Q(search_text__contains=" 교통 ")
    assert list(search.search(Case.objects.all(), "교통").values_list("slug", flat=True)) == ["korean"]


def test_a_city_search_reads_its_trigram_index(data):
    explained = plan(search.search(City.objects.all(), "thailand"))
    assert "city_search_trgm" in used(explained), explained
