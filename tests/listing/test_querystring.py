"""Query strings of list pages: one helper copies the request's parameters and changes them."""

from django.http import QueryDict

from listing.querystring import with_changes, without_value


def test_changes_keep_every_other_parameter_and_its_repeats():
    query = QueryDict("sector=water&sector=transport&page=3&q=bus")
    assert with_changes(query, {"page": 4}) == "?sector=water&sector=transport&page=4&q=bus"
    assert with_changes(query, {"page": None, "format": "csv"}) == "?sector=water&sector=transport&q=bus&format=csv"


def test_sorted_links_compare_equal_whatever_the_order_asked():
    assert with_changes(QueryDict("b=2&a=1"), {}, sort=True) == with_changes(QueryDict("a=1&b=2"), {}, sort=True)
    assert with_changes(QueryDict("page=2"), {"page": ""}) == "?"


def test_removing_one_value_of_a_repeated_filter_goes_back_to_page_one():
    query = QueryDict("country=TH&country=PE&page=5")
    assert without_value(query, "country", "th") == "country=PE"
    assert without_value(query, "country") == ""
    assert query.getlist("country") == ["TH", "PE"]  # the request's own parameters are left as they were
