"""/sitemap.xml: every public page in both languages, and nothing that is not public (drafts stay out)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from projects.models import Case, City, Country, Sector
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
            "projects:country_list",
            "rankings:index_list",
            "rankings:organization_list",
            "data",
        ]

    def location(self, item):
        return reverse(item)


class PublishedSitemap(BilingualSitemap):
    """The published rows of ``model``, each dated by its ``as_of``."""

    changefreq = "monthly"
    model = None

    def items(self):
        return self.model.objects.published().only("slug", "as_of").order_by("slug")

    def lastmod(self, obj):
        return obj.as_of


class CaseSitemap(PublishedSitemap):
    model = Case


class CitySitemap(PublishedSitemap):
    model = City


class CountrySitemap(BilingualSitemap):
    """Countries with a published city or case: those that have a page."""

    def items(self):
        return Country.objects.with_published_content().only("code").order_by("code")


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
    "countries": CountrySitemap,
    "sectors": SectorSitemap,
    "rankings": RankingIndexSitemap,
}
