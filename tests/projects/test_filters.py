"""The FilterSets, called with a dict as a view would call them."""

import pytest

from core.content import Status
from projects.filters import CaseFilter, CityFilter
from projects.models import Region, Relationship, WorkKind


@pytest.fixture
def cases(make_case, make_sector, make_country, make_city, make_category):
    thailand = make_country("TH", "Thailand", Region.SOUTHEAST_ASIA)
    peru = make_country("PE", "Peru", Region.LATIN_AMERICA)
    india = make_country("IN", "India", Region.SOUTH_ASIA)
    transport = make_sector("transportation", name="Transportation")
    water = make_sector("waterworks", name="Waterworks")
    egov = make_sector("e-government", name="e-Government")
    card = make_category("transportation-card", sector=transport)
    bangkok = make_city("bangkok", country=thailand, name="Bangkok")
    hidden = make_city("hidden", country=india, name="Hiddenpur", status=Status.DRAFT)
    return {
        "card": make_case(
            "bangkok-card",
            title="Transportation card consulting",
            sector=transport,
            category=card,
            country=thailand,
            cities=[bangkok],
            year_start=2013,
            year_end=2013,
        ),
        "water": make_case(
            "chanchamayo",
            title="Water supply plant",
            summary="Seoul's first ODA project",
            sector=water,
            country=peru,
            kind=WorkKind.CONSTRUCTION,
            year_start=2013,
            year_end=2018,
        ),
        "egov": make_case("mumbai", title="Citizen participation", sector=egov, country=india, cities=[hidden]),
        "draft": make_case("draft", title="Draft card case", sector=transport, country=thailand, status=Status.DRAFT),
        "card_category": card,
    }


def slugs(filterset):
    assert filterset.is_valid(), filterset.errors
    return sorted(case.slug for case in filterset.qs)


def test_no_filter_gives_every_published_case(cases):
    assert slugs(CaseFilter({})) == ["bangkok-card", "chanchamayo", "mumbai"]


def test_sector_accepts_several_values(cases):
    assert slugs(CaseFilter({"sector": ["transportation"]})) == ["bangkok-card"]
    data = {"sector": ["transportation", "waterworks"]}
    assert slugs(CaseFilter(data)) == ["bangkok-card", "chanchamayo"]


def test_country_accepts_several_values_in_either_case(cases):
    assert slugs(CaseFilter({"country": ["th", "PE"]})) == ["bangkok-card", "chanchamayo"]


def test_country_choices_only_offer_countries_with_published_cases(cases, make_country):
    make_country("FR", "France", Region.EUROPE)
    codes = {country.code for country in CaseFilter({}).form.fields["country"].queryset}
    assert codes == {"TH", "PE", "IN"}


def test_region_category_kind_and_city(cases):
    assert slugs(CaseFilter({"region": "latin-america"})) == ["chanchamayo"]
    assert slugs(CaseFilter({"category": "transportation-card"})) == ["bangkok-card"]
    assert slugs(CaseFilter({"kind": "construction"})) == ["chanchamayo"]
    assert slugs(CaseFilter({"city": "bangkok"})) == ["bangkok-card"]


def test_a_draft_city_is_not_a_valid_city_filter(cases):
    filterset = CaseFilter({"city": "hidden"})
    assert not filterset.is_valid()
    assert "city" in filterset.errors


def test_years_select_cases_running_in_the_range(cases):
    assert slugs(CaseFilter({"year_from": "2015"})) == ["chanchamayo"]
    assert slugs(CaseFilter({"year_to": "2013"})) == ["bangkok-card", "chanchamayo"]
    assert slugs(CaseFilter({"year_from": "2014", "year_to": "2016"})) == ["chanchamayo"]


def test_year_from_after_year_to_is_an_error(cases):
    filterset = CaseFilter({"year_from": "2018", "year_to": "2012"})
    assert not filterset.is_valid()
    assert "before" in str(filterset.errors["year_to"])


@pytest.mark.parametrize("year", ["abc", "1899", "2101", "20.5", "-1"])
def test_bad_years_are_form_errors(cases, year):
    filterset = CaseFilter({"year_from": year})
    assert not filterset.is_valid()
    assert "year_from" in filterset.errors


def test_text_search_covers_title_summary_country_and_city(cases):
    assert slugs(CaseFilter({"q": "CARD"})) == ["bangkok-card"]
    assert slugs(CaseFilter({"q": "oda project"})) == ["chanchamayo"]
    assert slugs(CaseFilter({"q": "peru"})) == ["chanchamayo"]
    assert slugs(CaseFilter({"q": "bangkok"})) == ["bangkok-card"]


def test_text_search_ignores_draft_cities_and_finds_no_duplicates(cases, make_city):
    assert slugs(CaseFilter({"q": "Hiddenpur"})) == []
    second = make_city("bangkok-2", name="Bangkok Noi", country=cases["card"].country)
    cases["card"].cities.add(second)
    assert slugs(CaseFilter({"q": "bangkok"})) == ["bangkok-card"]


def test_unknown_choices_are_errors_not_silently_ignored(cases):
    for data in ({"sector": ["nope"]}, {"country": ["ZZ"]}, {"region": "mars"}, {"kind": "x"}, {"category": "x"}):
        filterset = CaseFilter(data)
        assert not filterset.is_valid(), data


def test_ordering(cases):
    filterset = CaseFilter({"ordering": "-title"})
    assert [case.slug for case in filterset.qs] == ["chanchamayo", "bangkok-card", "mumbai"]
    filterset = CaseFilter({"ordering": "country"})
    assert [case.country.code for case in filterset.qs] == ["IN", "PE", "TH"]
    assert not CaseFilter({"ordering": "password"}).is_valid()


@pytest.fixture
def cities(make_city, make_country):
    korea_friends = make_country("TW", "Taiwan", Region.EAST_ASIA)
    usa = make_country("US", "United States", Region.NORTH_AMERICA)
    return [
        make_city(
            "taipei",
            country=korea_friends,
            name="Taipei",
            name_ko="타이베이",
            relationship=Relationship.SISTER,
            relationship_year=1968,
        ),
        make_city(
            "washington-dc",
            country=usa,
            name="Washington, D.C.",
            relationship=Relationship.SISTER,
            relationship_year=2006,
        ),
        make_city(
            "los-angeles", country=usa, name="Los Angeles", relationship=Relationship.FRIENDSHIP, relationship_year=2006
        ),
        make_city("draft-town", country=usa, name="Draft Town", status=Status.DRAFT),
    ]


def city_slugs(filterset):
    assert filterset.is_valid(), filterset.errors
    return [city.slug for city in filterset.qs]


def test_city_filters(cities):
    assert city_slugs(CityFilter({})) == ["los-angeles", "taipei", "washington-dc"]
    assert city_slugs(CityFilter({"relationship": "sister"})) == ["taipei", "washington-dc"]
    assert city_slugs(CityFilter({"country": ["us"]})) == ["los-angeles", "washington-dc"]
    assert city_slugs(CityFilter({"region": "east-asia"})) == ["taipei"]
    assert city_slugs(CityFilter({"q": "타이"})) == ["taipei"]
    assert city_slugs(CityFilter({"q": "united"})) == ["los-angeles", "washington-dc"]


def test_city_ordering_is_stable(cities):
    assert city_slugs(CityFilter({"ordering": "-year"})) == ["los-angeles", "washington-dc", "taipei"]
    assert city_slugs(CityFilter({"ordering": "country"})) == ["taipei", "los-angeles", "washington-dc"]


def test_city_bad_values_are_errors(cities):
    assert not CityFilter({"relationship": "enemy"}).is_valid()
    assert not CityFilter({"q": "x" * 101}).is_valid()


def test_search_puts_title_matches_first(make_case, make_country):
    peru = make_country("PE", "Peru")
    make_case("a-summary", title="Aaa water plant", summary="A transportation card was studied", country=peru)
    make_case("b-title", title="Zzz transportation card", country=peru)
    make_case("c-place", title="Mmm plant", country=make_country("TT", "Transportation Land"))
    ranked = [case.slug for case in CaseFilter({"q": "transportation"}).qs]
    assert ranked == ["b-title", "a-summary", "c-place"]
    explicit = [case.slug for case in CaseFilter({"q": "transportation", "ordering": "relevance"}).qs]
    assert explicit == ranked
    by_title = [case.slug for case in CaseFilter({"q": "transportation", "ordering": "title"}).qs]
    assert by_title == ["a-summary", "c-place", "b-title"]


def test_relevance_without_a_search_keeps_the_default_order(cases):
    assert slugs(CaseFilter({"ordering": "relevance"})) == ["bangkok-card", "chanchamayo", "mumbai"]


def test_facet_counts_ignore_their_own_selection_but_apply_the_others(cases):
    filterset = CaseFilter({"sector": ["transportation"], "country": ["TH"]})
    assert filterset.is_valid()
    counts = filterset.facet_counts()
    # Sector counts apply the country filter only: Thailand has one published transportation case.
    assert counts["sector"] == {"transportation": 1}
    # Country counts apply the sector filter only.
    assert counts["country"] == {"TH": 1}
    everything = CaseFilter({}).facet_counts()
    assert everything["sector"] == {"transportation": 1, "waterworks": 1, "e-government": 1}
    assert everything["region"] == {"southeast-asia": 1, "latin-america": 1, "south-asia": 1}
    assert everything["kind"] == {"consulting": 2, "construction": 1}


def test_sort_choices_say_which_way_they_sort(db):
    labels = dict(CaseFilter({}).form.fields["ordering"].choices)
    assert labels["-title"] == "Title (Z–A)"
    assert labels["year"] == "Year (oldest first)"
    assert labels["relevance"] == "Relevance (with a search)"
    assert dict(CityFilter({}).form.fields["ordering"].choices)["-year"] == "Year signed (newest first)"


def test_sector_and_country_filters_repeat_no_row_and_ask_for_no_distinct(cases):
    """One sector and one country per case: DISTINCT would only make the database sort every match."""
    filterset = CaseFilter({"sector": ["transportation", "waterworks"], "country": ["TH", "PE"]})
    assert not filterset.qs.query.distinct
    slugs_found = [case.slug for case in filterset.qs]
    assert len(slugs_found) == len(set(slugs_found)) == 2
    assert not CityFilter({"country": ["TH", "PE"]}).qs.query.distinct


def test_recently_published_first_with_cases_never_published_through_the_site_last(make_case):
    from datetime import UTC, datetime

    from projects.models import Case

    make_case("long-ago", title="Aaa")  # each published case is stamped when it goes public
    make_case("just-now", title="Bbb")
    make_case("from-the-edition", title="Ccc")  # as loaded from the shipped files: no publication dates
    Case.objects.filter(slug="long-ago").update(last_published_at=datetime(2026, 3, 2, tzinfo=UTC))
    Case.objects.filter(slug="from-the-edition").update(first_published_at=None, last_published_at=None)

    newest = CaseFilter({"ordering": "-published"})
    assert [case.slug for case in newest.qs] == ["just-now", "long-ago", "from-the-edition"]
    oldest = CaseFilter({"ordering": "published"})
    assert [case.slug for case in oldest.qs] == ["long-ago", "just-now", "from-the-edition"]
    labels = dict(newest.form.fields["ordering"].choices)
    assert labels["-published"] == "Recently published first"
