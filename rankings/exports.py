"""Rows of the ranking and organization tables, as the CSV and JSON exports write them."""

INDEX_COLUMNS = ["slug", "name", "short_name", "name_ko", "publisher", "url", "measures", "page_url"]
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
    return {
        "slug": index.slug,
        "name": index.name,
        "short_name": index.short_name,
        "name_ko": index.name_ko,
        "publisher": index.publisher,
        "url": index.url,
        "measures": index.measures,
        "page_url": absolute(index.get_absolute_url()),
    }


def result_row(result, absolute):
    return {
        "index": result.index.slug,
        "index_name": result.index.name,
        "edition": result.edition,
        "edition_label": result.edition_label,
        "scope": result.scope,
        "rank": result.rank,
        "cities_ranked": result.cities_ranked,
        "rank_display": result.rank_display,
        "page_claim": result.page_claim,
        "source": result.source,
        "as_of": result.as_of,
        "note": result.note,
    }


def organization_row(organization, absolute):
    return {
        "slug": organization.slug,
        "name": organization.name,
        "name_ko": organization.name_ko,
        "acronym": organization.acronym,
        "field": organization.field,
        "year_in_seoul": organization.year_in_seoul,
        "url": organization.url,
        "source": organization.source,
        "as_of": organization.as_of,
        "note": organization.note,
    }
