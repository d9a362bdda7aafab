"""One search over the whole site: published cases, cities, countries, sectors, organizations and ranking
indices, each kind matched on its search column (core.search) and ranked best match first."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core import search
from core.content import Status
from projects.filters import in_page_language
from projects.models import Case, City, Country, Sector
from rankings.models import HostedOrganization, RankingIndex


@dataclass(frozen=True)
class Kind:
    key: str  # its value of ?kind=
    label: object  # the heading: "Cases"
    rows: object  # () -> the public rows of the kind
    name: str  # the field it sorts by within equal relevance (the page's language: ``<name>_ko`` on Korean pages)
    describe: object  # (row) -> a short line under the result's link

    def matches(self, query):
        """The public rows holding every word of ``query``, best first."""
        return search.search(self.rows(), query).order_by("-relevance", in_page_language(self.name), "pk")


def _case_line(case):
    parts = [str(case.sector), str(case.country), case.years_display]
    return " · ".join(part for part in parts if part)


def _city_line(city):
    return " · ".join([str(city.country), str(city.get_relationship_display())])


def _countries():
    published_cases = Case.objects.filter(country=OuterRef("pk"), status=Status.PUBLISHED)
    published_cities = City.objects.filter(country=OuterRef("pk"), status=Status.PUBLISHED)
    return Country.objects.filter(Q(Exists(published_cases)) | Q(Exists(published_cities)))


KINDS = [
    Kind(
        "cases",
        _("Cases"),
        lambda: Case.objects.published().select_related("sector", "country"),
        "title",
        _case_line,
    ),
    Kind("cities", _("Cities"), lambda: City.objects.published().select_related("country"), "name", _city_line),
    Kind("countries", _("Countries"), _countries, "name", lambda country: str(country.get_region_display())),
    Kind("sectors", _("Sectors"), lambda: Sector.objects.all(), "name", lambda sector: ""),
    Kind(
        "organizations",
        _("Organizations"),
        lambda: HostedOrganization.objects.published(),
        "name",
        lambda organization: str(organization.get_field_display()),
    ),
    Kind("rankings", _("City rankings"), lambda: RankingIndex.objects.all(), "name", lambda index: index.publisher),
]
BY_KEY = {kind.key: kind for kind in KINDS}
