"""Rules live in the database; clean() explains them to staff in plain words."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects.models import Case, City, Country, KeyFigure, Relationship


def test_city_rejects_a_latitude_of_200_in_clean_and_in_the_database(make_city, make_country):
    city = City(
        slug="nowhere",
        name="Nowhere",
        country=make_country(),
        latitude=200,
        longitude=10,
        source="s",
        as_of="2017-03-31",
    )
    with pytest.raises(ValidationError) as error:
        city.full_clean()
    assert "latitude" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        city.save()


def test_city_needs_both_coordinates_or_neither(make_country):
    city = City(slug="half", name="Half", country=make_country(), latitude=10, source="s", as_of="2017-03-31")
    with pytest.raises(ValidationError) as error:
        city.full_clean()
    assert error.value.message_dict["longitude"] == ["Give both latitude and longitude, or neither."]


def test_a_year_signed_needs_a_relationship(make_country):
    city = City(
        slug="x",
        name="X",
        country=make_country(),
        relationship=Relationship.NONE,
        relationship_year=2000,
        source="s",
        as_of="2017-03-31",
    )
    with pytest.raises(ValidationError) as error:
        city.full_clean()
    assert "relationship_year" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        city.save()


@pytest.mark.parametrize("year", [1899, 3017])
def test_years_outside_1900_2100_are_refused(make_case, year):
    case = make_case("c")
    case.year_start = year
    with pytest.raises(ValidationError) as error:
        case.full_clean()
    assert error.value.message_dict["year_start"] == ["Enter a year between 1900 and 2100."]
    with pytest.raises(IntegrityError), transaction.atomic():
        case.save()


def test_case_years_must_be_in_order(make_case):
    case = make_case("c")
    case.year_start, case.year_end = 2016, 2012
    with pytest.raises(ValidationError) as error:
        case.full_clean()
    assert "before the first year" in error.value.message_dict["year_end"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        case.save()


def test_case_category_must_belong_to_its_sector(make_case, make_sector, make_category):
    case = make_case("c", sector=make_sector("transportation"))
    case.category = make_category("water-quality", sector=make_sector("waterworks"))
    with pytest.raises(ValidationError) as error:
        case.full_clean()
    assert "belongs to another sector" in error.value.message_dict["category"][0]


def test_case_slug_must_be_unique_with_a_clear_message(make_case):
    existing = make_case("bangkok-card")
    duplicate = Case(
        slug="bangkok-card",
        title="Another",
        sector=existing.sector,
        country=existing.country,
        kind="consulting",
        source="s",
        as_of="2017-03-31",
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.message_dict["slug"] == ["Case with this Slug already exists."]


def test_country_code_must_be_two_capital_letters(db):
    country = Country(code="th", name="Thailand", region="southeast-asia")
    with pytest.raises(ValidationError) as error:
        country.full_clean()
    assert "code" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        country.save()


def test_natural_keys_round_trip(make_case, make_city, make_category):
    city = make_city("bangkok")
    case = make_case("bangkok-card", cities=[city])
    category = make_category("transportation-card")
    assert Case.objects.get_by_natural_key(*case.natural_key()) == case
    assert City.objects.get_by_natural_key(*city.natural_key()) == city
    assert Country.objects.get_by_natural_key(*case.country.natural_key()) == case.country
    assert type(category).objects.get_by_natural_key(*category.natural_key()) == category


def test_published_queryset_hides_drafts(make_case):
    make_case("public")
    make_case("hidden", status="draft")
    assert [case.slug for case in Case.objects.published()] == ["public"]


def test_string_and_urls(make_case, make_city):
    city = make_city("bangkok", name="Bangkok")
    case = make_case("bangkok-card", title="Bangkok card")
    assert str(case) == "Bangkok card"
    assert str(city).startswith("Bangkok, ")
    assert case.get_absolute_url() == "/cases/bangkok-card/"
    assert city.get_absolute_url() == "/cities/bangkok/"


@pytest.mark.parametrize(
    ("value", "unit", "shown"), [("45.00", "policies", "45 policies"), ("84", "%", "84 %"), ("12.50", "", "12.5")]
)
def test_key_figure_display(value, unit, shown):
    from decimal import Decimal

    assert KeyFigure(label="x", value=Decimal(value), unit=unit).value_display == shown
