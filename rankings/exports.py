"""Rows of the ranking and organization tables, as the CSV and JSON exports write them."""

from listing.exports import attributes

INDEX_COLUMNS = ["slug", "name", "short_name", "name_ko", "publisher", "url", "measures", "page_url", "measures_ko"]
RESULT_COLUMNS = [
    "index", "index_name", "edition", "edition_label", "scope", "rank", "cities_ranked", "rank_display", "page_claim",
    "source", "as_of", "note",
]  # fmt: skip
ORGANIZATION_COLUMNS = [
    "slug",
    "name",
    "name_ko",
    "acronym",
    "field",
    "year_in_seoul",
    "url",
    "source",
    "as_of",
    "note",
]


def index_row(index, absolute):
    return {**attributes(index, INDEX_COLUMNS), "page_url": absolute(index.get_absolute_url())}


def result_row(result, absolute):
    return {**attributes(result, RESULT_COLUMNS), "index": result.index.slug, "index_name": result.index.name}


def organization_row(organization, absolute):
    return attributes(organization, ORGANIZATION_COLUMNS)
