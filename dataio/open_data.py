"""The open data set: every public table as CSV and JSON, the published data as fixtures, the data
dictionary, and one archive of everything.

Each table is the public view of the data (published rows only), with the same columns as the
list-page exports. The fixtures are built from the database (``dataio.exporter``, published rows only)
in the layout of ``fixtures/``: what staff have published, not the release's files. Drafts appear in
none of them.

The fixtures and the archive are built once per content generation (``core.cache``) and kept in the
cache: any published change makes a new edition.
"""

import io
import zipfile
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.cache import generation
from dataio import dictionary, exporter
from listing import exports
from projects import exports as project_exports
from projects.models import Case, CaseCategory, City, Country, KeyFigure, Sector
from rankings import exports as ranking_exports
from rankings.models import HostedOrganization, RankingIndex, RankingResult

LICENCE_NAME = _("Korea Open Government Licence (KOGL) Type 1: free to use, share and adapt, with attribution")
LICENCE_URL = "https://www.kogl.or.kr/info/licenseType1.do"
ATTRIBUTION = _("Seoul Metropolitan Government, Seoul City Diplomacy")


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    description: str
    queryset: object  # a callable returning the queryset
    columns: list
    row: object  # (obj, absolute) -> dict

    def rows(self, absolute):
        return (self.row(obj, absolute) for obj in self.queryset().iterator(chunk_size=2000))

    def first_row(self, absolute):
        """One row of the table, for the dictionary's examples ({} when the table is empty)."""
        first = self.queryset()[:1]
        return self.row(first[0], absolute) if first else {}


TABLES = {
    table.slug: table
    for table in [
        Table(
            "cases",
            _("Shared policy cases"),
            _("Every published case: sector, category, country, cities, kind of work, years, verification and source."),
            lambda: Case.objects.published().for_listing(),
            project_exports.CASE_COLUMNS,
            project_exports.case_row,
        ),
        Table(
            "cities",
            _("Cities"),
            _("Partner, sister and friendship cities with coordinates and the year signed."),
            lambda: City.objects.published().for_listing(),
            project_exports.CITY_COLUMNS,
            project_exports.city_row,
        ),
        Table(
            "countries",
            _("Countries"),
            _("ISO 3166-1 codes, names and regions, with each country's published cities and cases and its page."),
            lambda: Country.objects.with_counts(),
            project_exports.COUNTRY_COLUMNS,
            project_exports.country_row,
        ),
        Table(
            "sectors",
            _("Sectors"),
            _("Sectors with the case count SMG declares and the count documented here."),
            lambda: Sector.objects.with_documented_counts(),
            project_exports.SECTOR_COLUMNS,
            project_exports.sector_row,
        ),
        Table(
            "categories",
            _("Case categories"),
            _("Sub-groups of sectors with their declared counts."),
            lambda: CaseCategory.objects.select_related("sector").with_documented_counts(),
            project_exports.CATEGORY_COLUMNS,
            project_exports.category_row,
        ),
        Table(
            "key-figures",
            _("Key figures"),
            _("The headline figures of the SMG City Diplomacy page."),
            lambda: KeyFigure.objects.all(),
            project_exports.KEY_FIGURE_COLUMNS,
            project_exports.key_figure_row,
        ),
        Table(
            "ranking-indices",
            _("Ranking indices"),
            _("The international city indices Seoul is ranked in."),
            lambda: RankingIndex.objects.all(),
            ranking_exports.INDEX_COLUMNS,
            ranking_exports.index_row,
        ),
        Table(
            "ranking-results",
            _("Ranking results"),
            _("Seoul's rank per index, edition and scope, with sources."),
            lambda: RankingResult.objects.published().select_related("index"),
            ranking_exports.RESULT_COLUMNS,
            ranking_exports.result_row,
        ),
        Table(
            "organizations",
            _("International organizations in Seoul"),
            _("Organizations with an office in Seoul."),
            lambda: HostedOrganization.objects.published(),
            ranking_exports.ORGANIZATION_COLUMNS,
            ranking_exports.organization_row,
        ),
    ]
}


def latest_as_of():
    """The date of the newest fact in the public data."""
    dates = [
        Case.objects.published().aggregate(latest=Max("as_of"))["latest"],
        City.objects.published().aggregate(latest=Max("as_of"))["latest"],
        RankingResult.objects.published().aggregate(latest=Max("as_of"))["latest"],
        KeyFigure.objects.aggregate(latest=Max("as_of"))["latest"],
    ]
    return max((date for date in dates if date), default=None)


ARCHIVE_NAME = "seoul-city-diplomacy"
CACHE_SECONDS = 60 * 60


def cached_by_generation(name, build, *parts):
    """``build()``, kept in the cache until the content changes (``core.cache.generation``)."""
    key = ":".join(["open-data", name, str(generation()), *parts])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value


def published_fixtures():
    """{file name: text} of the published data, in the layout and format of ``fixtures/``."""
    return cached_by_generation(
        "fixtures",
        lambda: {
            name: exporter.render_json(records)
            for name, records in exporter.export_records(published_only=True).items()
        },
    )


def data_dictionary(absolute):
    """The dictionary's rows: every column of every table, with an example from the table's first row."""
    tables = list(TABLES.values())
    examples = {table.slug: table.first_row(absolute) for table in tables}
    return dictionary.dictionary_rows(tables, examples)


def dictionary_payload(rows):
    return {"licence": LICENCE_URL, "columns": dictionary.DICTIONARY_COLUMNS, "results": rows}


def readme_text(as_of, root_url):
    with translation.override("en"):
        english = [
            str(_("Seoul City Diplomacy: the open data set")),
            "",
            f"{_('Licence')}: {LICENCE_NAME} ({LICENCE_URL})",
            f"{_('Attribution')}: {ATTRIBUTION}",
            f"{_('Newest fact')}: {as_of.isoformat() if as_of else '-'}",
            f"{_('From')}: {root_url}",
        ]
    with translation.override("ko"):
        korean = [
            str(_("Seoul City Diplomacy: the open data set")),
            "",
            f"{_('Licence')}: {LICENCE_NAME} ({LICENCE_URL})",
            f"{_('Attribution')}: {ATTRIBUTION}",
            f"{_('Newest fact')}: {as_of.isoformat() if as_of else '-'}",
        ]
    files = [
        "tables/<table>.csv, tables/<table>.json: every table, published rows only (UTF-8; CSV with a byte-order mark)",
        "fixtures/<name>.json: the published data as Django fixtures with natural keys (import_fixtures or loaddata)",
        "data-dictionary.csv, data-dictionary.json: each column's meaning, type, unit and an example, in English "
        "and Korean",
        "",
        "Tables: " + ", ".join(TABLES),
    ]
    return "\n".join([*english, "", *korean, "", *files, ""])


def build_archive(absolute):
    """The whole data set as one .zip (bytes): every table as CSV and JSON, the published fixtures, the
    data dictionary and a README with the licence and the as-of date."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES.values():
            rows = list(table.rows(absolute))
            archive.writestr(f"{ARCHIVE_NAME}/tables/{table.slug}.csv", "".join(exports.csv_lines(rows, table.columns)))
            payload = {"table": table.slug, "licence": LICENCE_URL, "columns": table.columns, "results": rows}
            archive.writestr(f"{ARCHIVE_NAME}/tables/{table.slug}.json", exports.json_text(payload))
        for name, text in published_fixtures().items():
            archive.writestr(f"{ARCHIVE_NAME}/fixtures/{name}", text)
        rows = data_dictionary(absolute)
        archive.writestr(
            f"{ARCHIVE_NAME}/data-dictionary.csv", "".join(exports.csv_lines(rows, dictionary.DICTIONARY_COLUMNS))
        )
        archive.writestr(f"{ARCHIVE_NAME}/data-dictionary.json", exports.json_text(dictionary_payload(rows)))
        archive.writestr(f"{ARCHIVE_NAME}/README.txt", readme_text(latest_as_of(), absolute("/")))
    return buffer.getvalue()


def archive_bytes(absolute):
    """The archive, built once per content generation and site address."""
    return cached_by_generation("archive", lambda: build_archive(absolute), absolute("/"))
