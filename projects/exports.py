"""The rows of cases, cities and the other project tables, as the CSV and JSON exports write them.

Column names are stable: add new columns at the end, never rename one. The keys are the same in both
languages; the name and ``*_label`` columns hold the page's language (Korean on /ko/), beside the
slugs and codes, which never change.
"""

from django.utils.translation import gettext_lazy as _

from core.i18n import localized
from listing.exports import COLUMN_LABELS, attributes


def _name(obj, field="name"):
    return localized(obj, field)[0] if obj is not None else None


CASE_COLUMNS = [
    "slug", "title", "url", "sector", "sector_name", "category", "category_name", "country_code", "country",
    "region", "city_slugs", "cities", "kind", "year_start", "year_end", "verification", "summary", "source",
    "as_of", "note", "title_ko", "summary_ko", "kind_label", "verification_label", "years",
]  # fmt: skip

CITY_COLUMNS = [
    "slug", "name", "name_ko", "url", "place_type", "country_code", "country", "region", "relationship",
    "relationship_year", "latitude", "longitude", "coordinates_approximate", "case_count", "source", "as_of",
    "note", "place_type_label", "relationship_label",
]  # fmt: skip

COUNTRY_COLUMNS = [
    "code", "name", "name_ko", "region", "url", "sister_city_count", "friendship_city_count", "other_place_count",
    "case_count",
]  # fmt: skip
SECTOR_COLUMNS = ["slug", "name", "name_ko", "order", "declared_case_count", "documented_count", "url", "description",
                  "source", "as_of", "note", "description_ko"]  # fmt: skip
CATEGORY_COLUMNS = ["slug", "name", "name_ko", "sector", "order", "declared_case_count", "documented_count"]
KEY_FIGURE_COLUMNS = ["slug", "label", "value", "unit", "order", "source", "as_of", "note", "label_ko", "unit_ko"]


def case_row(case, absolute):
    """``absolute`` turns a path into a full URL (core.links.absolute_url: the configured SITE_URL)."""
    cities = [city for city in case.cities.all() if city.is_published]
    return {
        "slug": case.slug,
        "title": case.title,
        "url": absolute(case.get_absolute_url()),
        "sector": case.sector.slug,
        "sector_name": _name(case.sector),
        "category": case.category.slug if case.category else None,
        "category_name": _name(case.category),
        "country_code": case.country.code,
        "country": _name(case.country),
        "region": case.country.region,
        "city_slugs": [city.slug for city in cities],
        "cities": [_name(city) for city in cities],
        "kind": case.kind,
        "year_start": case.year_start,
        "year_end": case.year_end,
        "verification": case.verification,
        "summary": case.summary,
        "source": case.source,
        "as_of": case.as_of,
        "note": case.note,
        "title_ko": case.title_ko,
        "summary_ko": case.summary_ko,
        "kind_label": str(case.get_kind_display()),
        "verification_label": str(case.get_verification_display()),
        "years": case.years_display,
    }


def city_row(city, absolute):
    return {
        "slug": city.slug,
        "name": city.name,
        "name_ko": city.name_ko,
        "url": absolute(city.get_absolute_url()),
        "place_type": city.place_type,
        "country_code": city.country.code,
        "country": _name(city.country),
        "region": city.country.region,
        "relationship": city.relationship,
        "relationship_year": city.relationship_year,
        "latitude": city.latitude,
        "longitude": city.longitude,
        "coordinates_approximate": city.coordinates_approximate,
        "case_count": getattr(city, "case_count", None),
        "source": city.source,
        "as_of": city.as_of,
        "note": city.note,
        "place_type_label": str(city.get_place_type_display()),
        "relationship_label": str(city.get_relationship_display()),
    }


def country_row(country, absolute):
    """A country with its published counts (``Country.objects.with_counts()``); ``url`` only where the
    country has a page (a published city or case), else None."""
    counts = {
        "sister_city_count": getattr(country, "sister_count", None),
        "friendship_city_count": getattr(country, "friendship_count", None),
        "other_place_count": getattr(country, "place_count", None),
        "case_count": getattr(country, "case_count", None),
    }
    has_page = any(counts.values())
    return {
        **attributes(country, ["code", "name", "name_ko", "region"]),
        "url": absolute(country.get_absolute_url()) if has_page else None,
        **counts,
    }


def country_summary_row(country, absolute):
    """The row of a country that has a page, with its region's label in the page's language."""
    return {**country_row(country, absolute), "region_name": str(country.get_region_display())}


def sector_row(sector, absolute):
    return {**attributes(sector, SECTOR_COLUMNS), "url": absolute(sector.get_absolute_url())}


def category_row(category, absolute):
    return {**attributes(category, CATEGORY_COLUMNS), "sector": category.sector.slug}


def key_figure_row(figure, absolute):
    return attributes(figure, KEY_FIGURE_COLUMNS)


COLUMN_LABELS.update(
    {
        "slug": _("slug"),
        "code": _("code (ISO 3166-1)"),
        "title": _("title (English)"),
        "title_ko": _("title (Korean)"),
        "name": _("name (English)"),
        "name_ko": _("name (Korean)"),
        "url": _("web address"),
        "sector": _("sector (slug)"),
        "sector_name": _("sector (name)"),
        "category": _("category (slug)"),
        "category_name": _("category (name)"),
        "country_code": _("country code (ISO 3166-1)"),
        "country": _("country (name)"),
        "region": _("region (code)"),
        "city_slugs": _("cities (slugs)"),
        "cities": _("cities (names)"),
        "kind": _("kind of work (code)"),
        "kind_label": _("kind of work (name)"),
        "year_start": _("first year"),
        "year_end": _("last year"),
        "years": _("years"),
        "verification": _("verification (code)"),
        "verification_label": _("verification (name)"),
        "summary": _("summary (English)"),
        "summary_ko": _("summary (Korean)"),
        "source": _("source (English)"),
        "as_of": _("as of"),
        "note": _("note (English)"),
        "place_type": _("type of place (code)"),
        "place_type_label": _("type of place (name)"),
        "relationship": _("relationship (code)"),
        "relationship_label": _("relationship (name)"),
        "relationship_year": _("year of the relationship"),
        "latitude": _("latitude"),
        "longitude": _("longitude"),
        "coordinates_approximate": _("approximate location"),
        "case_count": _("number of cases"),
        "order": _("display order"),
        "declared_case_count": _("cases declared by SMG"),
        "documented_count": _("cases documented here"),
        "description": _("description (English)"),
        "description_ko": _("description (Korean)"),
        "label": _("label (English)"),
        "label_ko": _("label (Korean)"),
        "value": _("value"),
        "unit": _("unit (English)"),
        "unit_ko": _("unit (Korean)"),
    }
)
