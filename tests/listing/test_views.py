"""The filtered-list view keeps each list's queryset per view class and language (``kept_queryset``)."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from projects.views import CaseListView, CityListView


def view_of(view_class):
    view = view_class()
    view.setup(RequestFactory().get("/"))
    return view


@pytest.mark.django_db
@pytest.mark.parametrize("view_class", [CaseListView, CityListView])
def test_each_page_gets_its_own_copy_of_the_kept_queryset_and_the_kept_one_is_never_read(view_class, make_case):
    make_case()
    for language in ("en", "ko"):
        with translation.override(language):
            first, second = view_of(view_class).kept_queryset(), view_of(view_class).kept_queryset()
            assert first is not second
            assert str(first.query) == str(second.query) == str(view_of(view_class).get_queryset().query)
            list(first)
    kept = [queryset for (cls, _), queryset in view_class._querysets.items() if cls is view_class]
    assert len(kept) == 2  # one a language: the Korean page orders by the Korean names
    assert str(kept[0].query) != str(kept[1].query)
    assert all(queryset._result_cache is None for queryset in kept)


@pytest.mark.django_db
def test_the_facet_key_of_a_kept_queryset_s_copy_is_the_one_its_sql_gives():
    from listing.facets import rows_of

    copy = view_of(CaseListView).kept_queryset()
    fresh = view_of(CaseListView).get_queryset()
    assert rows_of(copy) == rows_of(fresh) == rows_of(copy)
    assert rows_of(copy.filter(year_start=2000)) != rows_of(copy)  # a filtered copy is worked out afresh
    assert not hasattr(copy.filter(year_start=2000), "kept_from")
