"""/sitemap.xml: an index of sections (/sitemap-cases.xml, …), which list every public page in both
languages, and nothing that is not public (drafts stay out).

A sitemap may list at most 50,000 addresses (sitemaps.org); each section is cut into pages of
``URLS_PER_SITEMAP`` addresses (``?p=2``, …), every one named in the index, so 100,000 cases in two
languages are 200,000 addresses in 100 pages. A page reads only its own rows from the database.
"""

import math
from collections.abc import Sequence
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from core.links import absolute_url
from projects.models import Case, City, Country, Sector
from rankings.models import RankingIndex

# Addresses per sitemap page: far under the 50,000 limit, so that a page renders in about a second (each
# address costs four reversed URLs: itself and its hreflang alternates) and weighs about a megabyte.
URLS_PER_SITEMAP = 2_000


class LanguagePairs(Sequence):
    """The (item, language) pairs Django's i18n sitemaps paginate, for a queryset, without reading it whole.

    Django builds the list of every pair for each page it serves; this counts the rows in the database
    and reads only the rows of the slice asked for.
    """

    def __init__(self, queryset, languages):
        self.queryset = queryset
        self.languages = list(languages)

    def __len__(self):
        return self.queryset.count() * len(self.languages)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        # The paginator asks for slices within bounds, so the rows need not be counted again.
        start, stop = index.start or 0, len(self) if index.stop is None else index.stop
        if start >= stop:
            return []
        per_item = len(self.languages)
        first, last = start // per_item, math.ceil(stop / per_item)
        pairs = [(item, code) for item in self.queryset[first:last] for code in self.languages]
        offset = first * per_item
        return pairs[start - offset : stop - offset]


class BilingualSitemap(Sitemap):
    """Lists every page in English and in Korean, each with its hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True
    limit = URLS_PER_SITEMAP

    def _items(self):
        items = self.items()
        if hasattr(items, "count") and hasattr(items, "query"):  # a queryset: read page by page
            return LanguagePairs(items, self._languages())
        return super()._items()

    # Addresses on the configured site (SITE_URL), never on the Host the request sent.
    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


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

    def get_latest_lastmod(self):
        """For the index: the newest ``as_of``, from the database (Django would read every row for it)."""
        return self.items().aggregate(latest=Max("as_of"))["latest"]


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


@require_safe
def sitemap_index(request):
    """/sitemap.xml: every section's pages, as Django's index view lists them, but at addresses on the
    configured site (``SITE_URL``): Django's own view takes the host from the request."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class() if callable(sitemap_class) else sitemap_class
        address = absolute_url(reverse("sitemap_section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(address, lastmod))
        items += [
            SitemapIndexItem(f"{address}?p={page}", lastmod) for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml")
