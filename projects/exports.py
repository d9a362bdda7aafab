"""The rows of cases, cities and the other project tables, as the CSV and JSON exports write them.

Column names are stable: add new columns at the end, never rename one.
"""

from listing.exports import attributes

CASE_COLUMNS = [
    "slug", "title", "url", "sector", "sector_name", "category", "category_name", "country_code", "country",
    "region", "city_slugs", "cities", "kind", "year_start", "year_end", "verification", "summary", "source",
    "as_of", "note", "title_ko", "summary_ko",
]  # fmt: skip

CITY_COLUMNS = [
    "slug", "name", "name_ko", "url", "place_type", "country_code", "country", "region", "relationship",
    "relationship_year", "latitude", "longitude", "coordinates_approximate", "case_count", "source", "as_of",
    "note",
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
        "sector_name": case.sector.name,
        "category": case.category.slug if case.category else None,
        "category_name": case.category.name if case.category else None,
        "country_code": case.country.code,
        "country": case.country.name,
        "region": case.country.region,
        "city_slugs": [city.slug for city in cities],
        "cities": [city.name for city in cities],
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
    }


def city_row(city, absolute):
    return {
        "slug": city.slug,
        "name": city.name,
        "name_ko": city.name_ko,
        "url": absolute(city.get_absolute_url()),
        "place_type": city.place_type,
        "country_code": city.country.code,
        "country": city.country.name,
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
