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


QUERIES = [
    "",
    "page=2",
    "sector=water&sector=transport&page=3&q=bus",
    "q=%EC%84%9C%EC%9A%B8+%EA%B5%90%ED%86%B5&country=th&country=PE&ordering=-title",
    "a=1&a=&b=%26%3D%2B&c",
    "country=TH&page=5&page=6&format=csv",
]


def the_querydict_way(query, changes, sort=False):
    """What the helpers did before: copy the QueryDict and change it (the reference they must equal)."""
    from django.utils.http import urlencode

    query = query.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    items = sorted(query.lists()) if sort else list(query.lists())
    return "?" + urlencode(items, doseq=True)


def removed_the_querydict_way(query, name, key=None):
    query = query.copy()
    query.pop("page", None)
    if key is None:
        query.pop(name, None)
    else:
        query.setlist(name, [item for item in query.getlist(name) if item.lower() != str(key).lower()])
    return query.urlencode()


def test_links_are_what_a_copied_querydict_gives():
    for raw in QUERIES:
        query = QueryDict(raw)
        for changes in (
            {},
            {"page": 4},
            {"page": None, "format": "json"},
            {"q": "서울 a&b"},
            {"undated": "1", "page": ""},
        ):
            for sort in (False, True):
                assert with_changes(query, changes, sort=sort) == the_querydict_way(query, changes, sort), (
                    raw,
                    changes,
                )
        for name, key in (("country", None), ("country", "th"), ("sector", "water"), ("q", None), ("nope", "x")):
            assert without_value(query, name, key) == removed_the_querydict_way(query, name, key), (raw, name, key)
