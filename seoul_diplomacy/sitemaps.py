"""/sitemap.xml: every public page in both languages, and nothing that is not public (drafts stay out)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from projects.models import Case, City, Sector
from rankings.models import RankingIndex


class BilingualSitemap(Sitemap):
    """Lists every page in English and in Korean, each with its hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True


class StaticPagesSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return [
            "home",
            "projects:case_list",
            "projects:sector_list",
            "projects:city_list",
            "rankings:index_list",
            "rankings:organization_list",
            "data",
        ]

    def location(self, item):
        return reverse(item)


class CaseSitemap(BilingualSitemap):
    changefreq = "monthly"

    def items(self):
        return Case.objects.published().only("slug", "as_of").order_by("slug")

    def lastmod(self, case):
        return case.as_of


class CitySitemap(BilingualSitemap):
    changefreq = "monthly"

    def items(self):
        return City.objects.published().only("slug", "as_of").order_by("slug")

    def lastmod(self, city):
        return city.as_of


class SectorSitemap(BilingualSitemap):
    def items(self):
        return Sector.objects.only("slug").order_by("order", "slug")


class RankingIndexSitemap(BilingualSitemap):
    def items(self):
        return RankingIndex.objects.only("slug").order_by("order", "slug")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "cases": CaseSitemap,
    "cities": CitySitemap,
    "sectors": SectorSitemap,
    "rankings": RankingIndexSitemap,
}
