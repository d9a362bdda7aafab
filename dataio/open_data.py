"""The open data set: every public table as CSV and JSON, and the fixtures as shipped.

Each table is the public view of the data (published rows only), with the same columns as the
list-page exports.
"""

from dataclasses import dataclass

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

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
