"""Issue 13: filter forms that say what they do, as the list pages render them."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from core.content import Status
from projects.models import Case, Region, Relationship
from rankings.models import HostedOrganization, OrganizationField

# A filtered list whose year filter leaves out the shipped cases with no known year (issue 13).
UNDATED_EXAMPLE = "/cases/?sector=transportation&sector=urban-railway&country=PH&year_from=2000"


def select(html, name):
    """The HTML of the <select> named ``name``."""
    match = re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.S)
    assert match, f"no <select name={name}>"
    return match.group(0)


def options(html, name):
    """[(value, label)] of the <select> named ``name``, in order (optgroups flattened)."""
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select(html, name))


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.mark.parametrize(
    ("url", "name", "any_label"),
    [
        ("/cases/", "region", "Any region"),
        ("/cases/", "kind", "Any kind"),
        ("/cases/", "category", "Any category"),
        ("/cases/", "city", "Any city"),
        ("/cities/", "relationship", "Any relationship"),
        ("/cities/", "region", "Any region"),
        ("/organizations/", "field", "Any field"),
        ("/ko/cases/", "region", "전체 지역"),
    ],
)
def test_each_select_has_one_any_option(client, shipped_data, url, name, any_label):
    choices = options(page(client, url), name)
    empty = [label for value, label in choices if value == ""]
    assert empty == [any_label], choices[:3]
    assert choices[0] == ("", any_label)


@pytest.mark.parametrize(
    ("url", "default_label"),
    [
        ("/cases/", "Sector (default)"),
        ("/cities/", "Name (A–Z, default)"),
        ("/ko/cases/", "분야(기본)"),
        ("/ko/cities/", "이름(가나다순, 기본)"),
    ],
)
def test_the_default_sort_has_a_name(client, shipped_data, url, default_label):
    html = page(client, url)
    assert "---------" not in html
    assert options(html, "ordering")[0] == ("", default_label)


def test_the_city_filter_is_a_select_of_cities_grouped_by_country(client, shipped_data):
    html = page(client, "/cases/")
    city_select = select(html, "city")
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', city_select, re.S)
    assert groups, "no <optgroup> in the city filter"
    countries = [country for country, _ in groups]
    assert len(countries) == len(set(countries)), "a country appears in two groups"
    assert countries == sorted(countries)
    in_thailand = dict(groups)["Thailand"]
    assert '<option value="bangkok">Bangkok</option>' in in_thailand
    # Every city offered is a published city that a published case names, under its own country.
    offered = re.findall(r'<option value="([^"]+)"', city_select)
    named = set(
        Case.cities.through.objects.filter(case__status=Status.PUBLISHED, city__status=Status.PUBLISHED).values_list(
            "city__slug", flat=True
        )
    )
    assert set(offered) == named
    # Chosen in the select, it filters the cases and is shown selected and as a removable chip.
    html = page(client, "/cases/?city=bangkok")
    assert '<option value="bangkok" selected>Bangkok</option>' in select(html, "city")
    shown = int(re.search(r"<strong>(\d+)</strong>", html).group(1))
    assert shown == Case.objects.published().filter(cities__slug="bangkok").count() > 0
    assert "Remove filter City: Bangkok" in html


def test_the_city_filter_is_in_korean_on_korean_pages(client, shipped_data):
    city_select = select(page(client, "/ko/cases/"), "city")
    assert '<optgroup label="태국">' in city_select
    assert '<option value="bangkok">방콕</option>' in city_select


def test_an_unknown_city_is_a_form_error(client, shipped_data):
    html = page(client, "/cases/?city=atlantis", status=400)
    assert 'href="#id_city"' in html


def undated_cases(**filters):
    return Case.objects.published().filter(year_start__isnull=True, year_end__isnull=True, **filters)


def test_a_year_filter_says_how_many_undated_cases_it_leaves_out_and_lets_them_in(client, shipped_data):
    expected = undated_cases(sector__slug__in=["transportation", "urban-railway"], country__code="PH").count()
    assert expected > 0, "the shipped data no longer has the issue's example"
    html = page(client, UNDATED_EXAMPLE)
    assert re.search(r"<strong>0</strong>\s*cases match", html)
    noun = "case" if expected == 1 else "cases"
    assert f"The year filter leaves out {expected} {noun} with no known year" in html
    assert f"Include the {expected} {noun} with no known year" in html
    link = re.search(r'<p class="undated-hint">.*?<a href="([^"]+)"', html, re.S).group(1).replace("&amp;", "&")
    assert link == UNDATED_EXAMPLE.removeprefix("/cases/") + "&undated=1"

    included = page(client, "/cases/" + link)
    assert re.search(rf"<strong>{expected}</strong>\s*{noun} match", included)
    assert 'name="undated" value="1" id="id_undated" checked' in included
    assert "undated-hint" not in included  # nothing left out any more
    assert "Remove filter Include cases with no known year: Yes" in included


def test_without_a_year_filter_there_is_no_undated_box(client, shipped_data):
    html = page(client, "/cases/?sector=transportation")
    assert 'name="undated"' not in html and "undated-hint" not in html
    # undated=1 alone changes nothing (undated cases are in the list anyway).
    assert page(client, "/cases/?undated=1").count("<tr>") == page(client, "/cases/").count("<tr>")


def test_the_undated_box_in_korean(client, shipped_data):
    expected = undated_cases(sector__slug__in=["transportation", "urban-railway"], country__code="PH").count()
    html = page(client, "/ko/" + UNDATED_EXAMPLE.lstrip("/"))
    assert f"연도를 모르는 사례 {expected}건도 포함" in html
    assert f"연도 필터에서 연도를 모르는 사례 {expected}건이 빠졌습니다" in html


def test_organizations_show_a_count_beside_each_field(client, shipped_data):
    choices = dict(options(page(client, "/organizations/"), "field"))
    counts = Counter(HostedOrganization.objects.published().values_list("field", flat=True))
    for value, label in OrganizationField.choices:
        assert choices[value] == f"{label} ({counts.get(value, 0)})"
    # The counts of the other fields stay when one is chosen; the list shrinks to it.
    chosen = OrganizationField.CITY_NETWORKS
    html = page(client, f"/organizations/?field={chosen}")
    assert dict(options(html, "field")) == choices | {chosen: choices[chosen]}
    assert html.count('<tr id="') == counts[chosen]


def test_the_filters_summary_counts_the_applied_values(client, shipped_data):
    html = page(client, "/cases/?sector=transportation&sector=waterworks&country=TH")
    assert re.search(r'<summary class="filter-summary">.*3 applied</span>', html, re.S)
    html = page(client, "/ko/cases/?sector=transportation")
    assert re.search(r'<summary class="filter-summary">.*1개 적용</span>', html, re.S)
    assert "applied" not in re.search(r"<summary.*?</summary>", page(client, "/cases/"), re.S).group(0)


def test_city_facets_count_relationships(client, make_city, make_country):
    usa = make_country("US", "United States", Region.NORTH_AMERICA)
    make_city("a", country=usa, relationship=Relationship.SISTER, relationship_year=2006)
    make_city("b", country=usa, relationship=Relationship.FRIENDSHIP, relationship_year=2006)
    make_city("c", country=usa, relationship=Relationship.FRIENDSHIP, relationship_year=2007)
    html = client.get(reverse("projects:city_list") + "?relationship=sister").content.decode()
    assert '<option value="friendship">Friendship city (2)</option>' in html
    assert '<option value="sister" selected>Sister city (1)</option>' in html
