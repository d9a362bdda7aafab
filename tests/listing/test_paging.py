"""A paginator told its count asks the database for none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from listing.paging import CountedPaginator
from projects.models import Case


@pytest.mark.django_db
def test_a_known_count_is_used_and_an_unknown_one_is_counted(make_case):
    for number in range(3):
        make_case(f"case-{number}")
    with CaptureQueriesContext(connection) as queries:
        told = CountedPaginator(Case.objects.order_by("slug"), 2, count=3)
        assert (told.count, told.num_pages) == (3, 2)
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        assert CountedPaginator(Case.objects.order_by("slug"), 2).count == 3
    assert len(queries) == 1
