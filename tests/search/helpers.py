"""Helpers of the search tests: a list page's results for a query, and a spy on ``core.search``."""

from django.db import connection

from core import search
from dataio import synthetic
from projects.filters import CaseFilter
from projects.models import Case


def synthetic_cases_and_korean_names(make_case, make_sector, cases=300):
    """The data the PostgreSQL search tests share: ``cases`` synthetic cases (a city for every ten), a sector
    named in Korean ("상수도관리") and in it a case whose Korean title holds 교통 inside a longer word; returns
    that sector. Each module adds its own cases, then ``analyze()``."""
    synthetic.generate(cases=cases, cities=cases // 10)
    water = make_sector("water-ko", name="Water management", name_ko="상수도관리")
    make_case("korean", title="Transport card", title_ko="서울시의 교통카드 시스템", sector=water)
    return water


def analyze():
    """The planner's statistics brought up to date, as autovacuum would after the data was written."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def ranked(query, queryset=None):
    return CaseFilter({"q": query}, queryset=queryset if queryset is not None else Case.objects.published()).qs


def spy(monkeypatch, name):
    """Record what ``core.search.<name>`` returns each time it is called."""
    returned = []
    function = getattr(search, name)
    monkeypatch.setattr(search, name, lambda *args: returned.append(function(*args)) or returned[-1])
    return returned


def follows_deletes_and_truncation(case, table_rows, expected_rows):
    """A side table of the cases kept by triggers (``table_rows()``: its rows, each ending with its case's key)
    follows the delete of ``case``, of the synthetic cases in one statement, and a truncation of the cases
    (rolled back): it stays as ``expected_rows()`` says."""
    from django.db import connection, transaction

    from dataio import synthetic

    case.delete()
    assert all(key != case.pk for *_rest, key in table_rows())
    Case.objects.filter(slug__startswith=synthetic.PREFIX).delete()
    assert table_rows() == expected_rows()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # (the test's deferred checks run first: TRUNCATE needs it)
        cursor.execute("TRUNCATE projects_case CASCADE")
        assert table_rows() == []
        transaction.set_rollback(True)


def follows_an_import(settings, table_rows, expected_rows, **changes):
    """A side table of the cases holds the shipped cases (``loaddata``), and follows the importer putting them
    back after ``changes`` (a bulk update of every case)."""
    from dataio.importer import import_fixtures
    from dataio.layout import FIXTURE_NAMES

    assert len(table_rows()) > Case.objects.count() > 0
    assert table_rows() == expected_rows()
    Case.objects.update(**changes)
    report = import_fixtures([settings.BASE_DIR / "fixtures" / f"{name}.json" for name in FIXTURE_NAMES])
    assert not report.problems
    assert table_rows() == expected_rows()


def table_rows(side):
    """Every row of a words-in-order table (``core.search.WordsInOrder``) as its triggers wrote it: (word, its
    sort keys, case key), sorted."""
    from django.db import connection

    columns = ", ".join(connection.ops.quote_name(column) for column in side.columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT word, {columns}, key FROM {connection.ops.quote_name(side.table)}")
        return sorted(cursor.fetchall())
