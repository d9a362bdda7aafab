"""Rows of the ranking and organization tables, as the CSV and JSON exports write them.

Keys are stable machine names in both languages; the ``*_label`` columns are in the page's language.
"""

from django.utils.translation import gettext_lazy as _

from core.i18n import localized
from listing.exports import COLUMN_LABELS, attributes

INDEX_COLUMNS = ["slug", "name", "short_name", "name_ko", "publisher", "url", "measures", "page_url", "measures_ko"]
RESULT_COLUMNS = [
    "index", "index_name", "edition", "edition_label", "scope", "rank", "cities_ranked", "rank_display", "page_claim",
    "source", "as_of", "note", "scope_label", "edition_name",
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
    "field_label",
]


def index_row(index, absolute):
    return {**attributes(index, INDEX_COLUMNS), "page_url": absolute(index.get_absolute_url())}


def result_row(result, absolute):
    return {
        **attributes(result, RESULT_COLUMNS),
        "index": result.index.slug,
        "index_name": localized(result.index, "name")[0],
        "scope_label": str(result.get_scope_display()),
        "edition_name": result.edition_display,
    }


def organization_row(organization, absolute):
    return {**attributes(organization, ORGANIZATION_COLUMNS), "field_label": str(organization.get_field_display())}


COLUMN_LABELS.update(
    {
        "short_name": _("short name"),
        "publisher": _("publisher"),
        "measures": _("what it measures (English)"),
        "measures_ko": _("what it measures (Korean)"),
        "page_url": _("page on this site"),
        "index": _("index (slug)"),
        "index_name": _("index (name)"),
        "edition": _("edition year"),
        "edition_label": _("edition label"),
        "edition_name": _("edition (name)"),
        "scope": _("scope (code)"),
        "scope_label": _("scope (name)"),
        "rank": _("rank"),
        "cities_ranked": _("cities ranked"),
        "rank_display": _("rank (text)"),
        "page_claim": _("SMG page's claim"),
        "acronym": _("acronym"),
        "field": _("field (code)"),
        "field_label": _("field (name)"),
        "year_in_seoul": _("year it came to Seoul"),
    }
)
