"""Declared versus documented: SMG's figure with its source beside the count of published rows."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core.content import Status
from pages.reconcile import reconcile
from projects.models import KeyFigure, Relationship


def key_figure(slug, value, unit, unit_ko, source):
    return KeyFigure.objects.create(
        slug=slug, label=slug, value=Decimal(value), unit=unit, unit_ko=unit_ko, source=source, as_of="2017-03-31"
    )


@pytest.fixture
def figures(db):
    key_figure(
        "international-organizations", 30, "organizations", "개 기구", "WOW TV | [30 organizations] | 2017-03-31"
    )
    key_figure("sister-cities", 23, "cities", "개 도시", "Seoul Solution | Best policy | n.d.")
    key_figure("countries", 25, "countries", "개국", "SMG | City Diplomacy page | 2017-03")
    key_figure("cities", 36, "cities", "개 도시", "SMG | City Diplomacy page | 2017-03")


@pytest.fixture
def published(make_case, make_city, make_country, make_organization, sister_city):
    tokyo = make_city(
        "tokyo", country=make_country("JP", "Japan"), relationship=Relationship.SISTER, relationship_year=1988
    )
    make_city("taipei-draft", relationship=Relationship.SISTER, relationship_year=1968, status=Status.DRAFT)
    make_city("lima", country=make_country("PE", "Peru"), relationship=Relationship.FRIENDSHIP, relationship_year=2001)
    make_case("bangkok-card", country=sister_city.country, cities=[sister_city])
    make_case("bangkok-second", country=sister_city.country, cities=[sister_city])
    make_case("tokyo-draft", country=tokyo.country, cities=[tokyo], status=Status.DRAFT)
    make_organization("citynet")
    make_organization("gggi")
    make_organization("draft-org", status=Status.DRAFT)


def test_documented_counts_published_rows_only(figures, published):
    rows = {row.key: row for row in reconcile()}
    assert rows["organizations"].documented == 2
    assert rows["sister-cities"].documented == 2  # Bangkok and Tokyo; the draft Taipei is not counted
    assert rows["friendship-cities"].documented == 1
    assert rows["countries"].documented == 1  # Thailand: the Japanese case is a draft
    assert rows["cities"].documented == 1  # Bangkok, named by two cases, counts once
    assert rows["organizations"].figure.value == 30
    assert rows["friendship-cities"].figure is None  # no key figure "friendship-cities" on record


def test_home_page_shows_each_declared_figure_with_its_source_beside_the_documented_count(client, figures, published):
    html = client.get(reverse("home")).content.decode()
    row = re.search(r'<tr id="declared-organizations">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]+)</td>', row) == ["30 organizations", "2"]
    assert "WOW TV" in row and "[30 organizations]" in row and "2017-03-31" in row
    friendship = re.search(r'<tr id="declared-friendship-cities">(.*?)</tr>', html, re.S).group(1)
    assert "No declared figure on record" in friendship and '<td class="num">1</td>' in friendship


@pytest.mark.parametrize(
    ("url", "keys"),
    [
        ("/organizations/", ["organizations"]),
        ("/cities/", ["sister-cities", "friendship-cities", "cities"]),
        ("/countries/", ["countries", "cities"]),
    ],
)
def test_list_pages_show_their_declared_line(client, figures, published, url, keys):
    html = client.get(url).content.decode()
    lines = re.findall(r'<li class="declared-line" id="declared-([a-z-]+)">', html)
    assert lines == keys
    assert "Source of the declared figure:" in html


def test_korean_line_writes_the_unit_against_the_number(client, figures, published):
    html = client.get("/ko/organizations/").content.decode()
    line = re.search(r'<li class="declared-line" id="declared-organizations">(.*?)</li>', html, re.S).group(1)
    assert "30개 기구" in line and "30 개" not in line


def test_a_new_published_row_changes_the_documented_count_on_the_page(client, figures, published, make_organization):
    before = client.get("/organizations/").content.decode()
    make_organization("new-one")
    after = client.get("/organizations/").content.decode()
    assert "documented here 2" in before and "documented here 3" in after
