"""An import's cost per record does not grow with its size: its SQL queries come in batches (no query per
record), and the rows it writes carry the search text a rebuild would give them."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import search
from dataio.importer import import_fixtures
from projects.models import Case


def synthetic_files(folder, name, cases, title="Synthetic case"):
    """One file of new cities (one per ten cases) and one of the cases naming them, on shipped sectors."""
    cities = max(cases // 10, 1)
    reference = [
        {
            "model": "projects.city",
            "fields": {
                "source": "Test source",
                "as_of": "2017-03-31",
                "status": "published" if i % 4 else "draft",
                "slug": f"{name}-city-{i}",
                "name": f"{name.title()} city {i}",
                "country": ["TH"],
            },
        }
        for i in range(cities)
    ]
    records = [
        {
            "model": "projects.case",
            "fields": {
                "source": "Test source",
                "as_of": "2017-03-31",
                "status": "published" if i % 5 else "draft",
                "slug": f"{name}-case-{i}",
                "title": f"{title} {i}",
                "summary": f"Case number {i} of a test of the import's queries.",
                "sector": ["transportation"],
                "country": ["TH"],
                "kind": "consulting",
                "cities": [[f"{name}-city-{i % cities}"]] + ([[f"{name}-city-{(i + 1) % cities}"]] if i % 3 else []),
            },
        }
        for i in range(cases)
    ]
    paths = []
    for part, rows in (("cities", reference), ("cases", records)):
        path = folder / f"{name}-{part}.json"
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def queries_of(paths):
    with CaptureQueriesContext(connection) as queries:
        report = import_fixtures(paths)
    assert not report.problems, report.problems[:3]
    return len(queries)


@pytest.mark.long
def test_ten_times_the_records_take_at_most_ten_times_the_queries_and_no_query_per_record(shipped_data, tmp_path):
    small = queries_of(synthetic_files(tmp_path, "small", 200))
    large = queries_of(synthetic_files(tmp_path, "large", 2000))
    # Bulk writes come in batches (on SQLite about 40 rows of a wide table per INSERT): the count grows
    # with the batches. A query per record would give at least 2,200 at 2,000 cases.
    assert large <= 10 * small, (small, large)
    assert large < 2200 / 4, (small, large)
    assert Case.objects.filter(slug__startswith="large-case-").count() == 2000


@pytest.mark.long
def test_an_update_of_every_record_takes_no_query_per_record(shipped_data, tmp_path):
    import_fixtures(synthetic_files(tmp_path, "edition", 200))
    small = queries_of(synthetic_files(tmp_path, "edition", 200, title="Renamed case"))
    import_fixtures(synthetic_files(tmp_path, "edition", 2000))
    large = queries_of(synthetic_files(tmp_path, "edition", 2000, title="Renamed again"))
    assert large <= 10 * small, (small, large)
    assert large < 2200 / 4, (small, large)
    assert Case.objects.get(slug="edition-case-1999").title == "Renamed again 1999"


def test_imported_and_updated_rows_hold_the_search_text_a_rebuild_gives(shipped_data, tmp_path):
    import_fixtures(synthetic_files(tmp_path, "fresh", 60))
    assert search.rebuild_all() == 0
    edited = synthetic_files(tmp_path, "fresh", 60, title="Renamed")
    cities = json.loads(edited[0].read_text(encoding="utf-8"))
    for row in cities:
        row["fields"]["name"] += " renamed"  # the cases naming them must follow
        row["fields"]["status"] = "published"
    edited[0].write_text(json.dumps(cities), encoding="utf-8")
    assert not import_fixtures(edited).problems
    assert "fresh city 0 renamed" in Case.objects.get(slug="fresh-case-0").search_text  # a draft city made public
    text = Case.objects.get(slug="fresh-case-1").search_text
    assert text.startswith(" renamed 1 ") and "fresh city 1 renamed fresh city 2 renamed" in text
    assert search.rebuild_all() == 0
