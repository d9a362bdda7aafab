"""The data dictionary of the open data set: for each table's every column, its meaning, type, unit and an
example, in English and in Korean (the Korean from the interface catalogue).

A column means the same in every table unless ``TABLE_MEANINGS`` says otherwise for one table.
``tests/test_open_data_and_seo.py`` checks that every column of every table is described here.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

TEXT = _("text")
INTEGER = _("integer")
DECIMAL = _("decimal number")
DATE = _("date (YYYY-MM-DD)")
BOOLEAN = _("true or false")
ADDRESS = _("web address (URL)")
KEY = _("machine key (lower-case letters, digits and hyphens)")
LIST = _("list (JSON array; in CSV, items joined by “; ”)")
YEAR = _("year")

# column: (meaning, type, unit); unit None where a column has none.
COLUMNS = {
    "slug": (_("The row's stable machine key, as in its page's address; never changes."), KEY, None),
    "code": (_("ISO 3166-1 alpha-2 code of the country, in capitals."), _("two capital letters"), None),
    "name": (_("Name in English."), TEXT, None),
    "name_ko": (_("Name in Korean (empty where none is known)."), TEXT, None),
    "title": (_("Title of the case in English."), TEXT, None),
    "title_ko": (_("Title of the case in Korean."), TEXT, None),
    "summary": (_("What Seoul shared, in English."), TEXT, None),
    "summary_ko": (_("What Seoul shared, in Korean."), TEXT, None),
    "description": (_("Description in English."), TEXT, None),
    "description_ko": (_("Description in Korean."), TEXT, None),
    "url": (_("Address of the row's page on this site."), ADDRESS, None),
    "region": (_("Machine key of the world region (east-asia, europe, …)."), KEY, None),
    "country_code": (_("ISO 3166-1 alpha-2 code of the country."), _("two capital letters"), None),
    "country": (_("Name of the country in English."), TEXT, None),
    "sector": (_("Machine key of the sector."), KEY, None),
    "sector_name": (_("Name of the sector in English."), TEXT, None),
    "category": (_("Machine key of the case category (empty where none)."), KEY, None),
    "category_name": (_("Name of the case category in English."), TEXT, None),
    "city_slugs": (_("Machine keys of the published cities the case names."), LIST, None),
    "cities": (_("Names of the published cities the case names, in English."), LIST, None),
    "kind": (_("Machine key of the kind of work (consulting, construction, …)."), KEY, None),
    "year_start": (_("First year of the work (empty where unknown)."), INTEGER, YEAR),
    "year_end": (_("Last year of the work (empty where unknown or ongoing)."), INTEGER, YEAR),
    "verification": (
        _("confirmed: a cited source confirms it; unconfirmed: stated by SMG only."),
        KEY,
        None,
    ),
    "source": (
        _("Where the facts come from, one source a line: outlet | title | date | address."),
        TEXT,
        None,
    ),
    "as_of": (_("The date the facts of the row were true."), DATE, None),
    "note": (_("Remarks: disagreements between sources, what is not confirmed."), TEXT, None),
    "kind_label": (_("Name of the kind of work, in the language of the download."), TEXT, None),
    "verification_label": (_("Whether a cited source confirms the case, in words."), TEXT, None),
    "years": (_("The years of the work as the page writes them (e.g. 2012–2014)."), TEXT, None),
    "place_type_label": (_("Type of place, in words."), TEXT, None),
    "relationship_label": (_("Relationship with Seoul, in words."), TEXT, None),
    "scope_label": (_("What the rank is among (world, Asia…), in words."), TEXT, None),
    "edition_name": (_("The edition as its publisher names it (e.g. GPCI 2025)."), TEXT, None),
    "field_label": (_("The organization's field of work, in words."), TEXT, None),
    "place_type": (_("city, or province (a province, state or region)."), KEY, None),
    "relationship": (_("Relationship with Seoul: sister, friendship, or none (a partner place)."), KEY, None),
    "relationship_year": (_("Year the sister or friendship agreement was signed."), INTEGER, YEAR),
    "latitude": (_("Latitude of the place."), DECIMAL, _("degrees north (WGS 84)")),
    "longitude": (_("Longitude of the place."), DECIMAL, _("degrees east (WGS 84)")),
    "coordinates_approximate": (_("true where the point stands in for an unknown or wider place."), BOOLEAN, None),
    "case_count": (_("Number of published cases that name the city."), INTEGER, _("cases")),
    "sister_city_count": (_("Published sister cities in the country."), INTEGER, _("cities")),
    "friendship_city_count": (_("Published friendship cities in the country."), INTEGER, _("cities")),
    "other_place_count": (_("Published places in the country with no formal tie to Seoul."), INTEGER, _("places")),
    "order": (_("Display order (smaller first)."), INTEGER, None),
    "declared_case_count": (_("Number of cases SMG declares (empty where it declares none)."), INTEGER, _("cases")),
    "documented_count": (_("Number of published cases documented on this site."), INTEGER, _("cases")),
    "label": (_("What the figure counts, in English."), TEXT, None),
    "label_ko": (_("What the figure counts, in Korean."), TEXT, None),
    "value": (_("The figure."), DECIMAL, _("as the unit column says")),
    "unit": (_("Unit of the figure in English (policies, cities, %)."), TEXT, None),
    "unit_ko": (_("Unit of the figure in Korean."), TEXT, None),
    "short_name": (_("Short name or acronym of the index."), TEXT, None),
    "publisher": (_("Who publishes the index."), TEXT, None),
    "measures": (_("What the index measures, in English."), TEXT, None),
    "measures_ko": (_("What the index measures, in Korean."), TEXT, None),
    "page_url": (_("Address of the index's page on this site."), ADDRESS, None),
    "index": (_("Machine key of the ranking index."), KEY, None),
    "index_name": (_("Name of the ranking index in English."), TEXT, None),
    "edition": (_("Year of the edition."), INTEGER, YEAR),
    "edition_label": (_("The edition's own label where it has one (e.g. CoO 7)."), TEXT, None),
    "scope": (_("Whom Seoul is ranked among: world, asia, …"), KEY, None),
    "rank": (_("Seoul's rank (1 is first)."), INTEGER, _("rank")),
    "cities_ranked": (_("How many cities the edition ranked (empty where unknown)."), INTEGER, _("cities")),
    "rank_display": (_("The rank as written on the page, in English (“6th of 42”)."), TEXT, None),
    "page_claim": (_("What the SMG page claimed where it differs from the cited source."), TEXT, None),
    "acronym": (_("Acronym of the organization."), TEXT, None),
    "field": (_("Machine key of the organization's field."), KEY, None),
    "year_in_seoul": (_("Year the organization came to Seoul."), INTEGER, YEAR),
}

# (table, column): meaning, where a column means something else in one table.
TABLE_MEANINGS = {
    ("countries", "url"): _("Address of the country's page on this site (empty where it has none)."),
    ("countries", "case_count"): _("Number of published cases in the country."),
    ("ranking-indices", "url"): _("Address of the index publisher's own page."),
    ("organizations", "url"): _("Address of the organization's own website."),
    ("categories", "declared_case_count"): _("Number of cases SMG declares in the category."),
}


def _describe(table, column):
    meaning, kind, unit = COLUMNS[column]
    return TABLE_MEANINGS.get((table, column), meaning), kind, unit


def example_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(item) for item in value)
    text = str(value).splitlines()[0] if str(value) else ""
    return text[:120]


DICTIONARY_COLUMNS = [
    "table", "column", "meaning_en", "meaning_ko", "type_en", "type_ko", "unit_en", "unit_ko", "example",
]  # fmt: skip


def dictionary_rows(tables, examples):
    """One row per column of every table; ``examples`` is {table slug: one row of it (or {})}."""
    rows = []
    for table in tables:
        for column in table.columns:
            meaning, kind, unit = _describe(table.slug, column)
            row = {"table": table.slug, "column": column, "example": example_text(examples[table.slug].get(column))}
            for language in ("en", "ko"):
                with translation.override(language):
                    row[f"meaning_{language}"] = str(meaning)
                    row[f"type_{language}"] = str(kind)
                    row[f"unit_{language}"] = str(unit) if unit else ""
            rows.append(row)
    return rows
