from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from core.cache import FragmentCache, fragment
from core.i18n import is_korean
from core.links import absolute_url, links_to
from core.revisions import previewed
from core.worldmap import NOWHERE, draw_points, map_points
from listing.exports import page_or_json
from listing.facets import normalised
from listing.filters import RELEVANCE, in_page_language
from listing.forms import choice_rows
from listing.paging import GroupedResults, KeysFirst, LazySlices
from listing.querystring import with_changes
from listing.views import FilteredListView
from projects.exports import (
    CASE_COLUMNS,
    CITY_COLUMNS,
    case_row,
    category_row,
    city_row,
    country_summary_row,
    sector_row,
)
from projects.filters import CaseFilter, CityFilter
from projects.models import Case, CaseCategory, City, Country, Region, Relationship, Sector, name_in_page_language

# The maps of /cities/ drawn for a content generation, language and filters, kept in each process (by points).
kept_maps = FragmentCache(max_chars=20_000, size=lambda drawn: len(drawn[0].points) + 1)

RELATED_CASES = 5
# Points on the /cities/ map, as on the home page: beyond that the page says the map shows the first ones
# (at 2,000 points the map took three quarters of the page's time, and points only hide each other).
MAP_LIMIT = 400
# What the map of /cities/ reads of each city (CityListView.map_places).
MAP_COLUMNS = (
    "latitude",
    "longitude",
    "name",
    "name_ko",
    "slug",
    "relationship",
    "relationship_year",
    "coordinates_approximate",
    "country__name",
    "country__name_ko",
)
SECTOR_PAGE_CASES = 20


def within_a_sector():
    """The order of cases within one sector, as every list of cases shows them: by title, in the page's
    language. The (status, sector, title, slug) index gives it without a sort."""
    return (in_page_language("title"), "slug")


class CaseListView(FilteredListView):
    filterset_class = CaseFilter
    template_name = "projects/case_list.html"
    paginate_by = settings.CASES_PER_PAGE
    nav_section = "cases"
    noun = "case"
    export_name = "seoul-city-diplomacy-cases"
    export_columns = CASE_COLUMNS
    export_row = staticmethod(case_row)

    @staticmethod
    def default_order():
        """Sector by sector in display order, then by title: the source page's order."""
        return ("sector__order", "sector__slug", *within_a_sector())

    def get_queryset(self):
        return Case.objects.published().for_listing().order_by(*self.default_order())

    def paginate_queryset(self, queryset, page_size):
        """In the default order, a page reads only the sectors it spans (``GroupedResults``): the sector
        counts are known, and sorting every case by its sector's order would read them all."""
        tally = self.filterset.tally()
        if tally is not None and tuple(queryset.query.order_by) == self.default_order():
            counts = tally.selected["sector"]
            sectors = choice_rows(self.filterset.form.fields["sector"])  # in the default order, as the filter has them
            groups = [(sector.pk, counts.get(sector.slug, 0)) for sector in sectors]
            queryset = LazySlices(GroupedResults(queryset, "sector", groups, within_a_sector()))
        elif RELEVANCE in queryset.query.annotations:  # a search: every match is sorted, so sort bare rows
            queryset = KeysFirst(queryset, tally.total if tally is not None else None)
        return super().paginate_queryset(queryset, page_size)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        undated = self.filterset.undated_count()
        context["undated_count"] = undated
        if undated and not self.filterset.undated_included():
            context["undated_url"] = with_changes(self.request.GET, {"undated": "1", "page": None})
        return context


class CityListView(FilteredListView):
    filterset_class = CityFilter
    template_name = "projects/city_list.html"
    paginate_by = settings.CITIES_PER_PAGE
    nav_section = "cities"
    noun = "city"
    export_name = "seoul-city-diplomacy-cities"
    export_columns = CITY_COLUMNS
    export_row = staticmethod(city_row)

    def get_queryset(self):
        return City.objects.published().for_listing().order_by(in_page_language("name"), "slug")

    def map_queryset(self):
        """The list's cities, filtered and in its order, without the case counts the map does not show
        (counting them for every place costs more than the rest of the page: ``CityQuerySet.for_listing``)."""
        cities = City.objects.published().order_by(in_page_language("name"), "slug")
        return self.filterset.filter_queryset(cities)

    def map_places(self):
        """The first ``MAP_LIMIT`` + 1 places of the map as ``core.worldmap.draw_points`` takes them, read as
        bare column values: up to 401 cities on every page, where a model instance each (and its country's)
        was most of the page's work."""
        rows = self.map_queryset().values_list(*MAP_COLUMNS)[: MAP_LIMIT + 1]
        korean = is_korean()
        city_url = links_to("projects:city_detail")
        labels = {value: str(label) for value, label in Relationship.choices}
        for latitude, longitude, name, name_ko, slug, relationship, year, approximate, country, country_ko in rows:
            if latitude is None or longitude is None:
                yield NOWHERE
                continue
            yield (
                latitude,
                longitude,
                (name_ko or name) if korean else name,
                (country_ko or country) if korean else country,
                city_url(slug),
                relationship or "none",
                labels.get(relationship, relationship),
                year,
                bool(approximate),
                None,
            )

    def drawn_map(self):
        """(the map's ``MapPoints``, whether the list has more places than the map draws)."""
        places = list(self.map_places())
        return draw_points(places[:MAP_LIMIT]), len(places) > MAP_LIMIT

    def map_key(self):
        """What the map depends on besides the content and the language: every filter's value and the order
        (not the page), as plain values."""
        values = []
        for name, value in sorted(self.filterset.form.cleaned_data.items()):
            values.append((name, tuple(value or ()) if name == "ordering" else tuple(normalised(value))))
        return ("cities-map", *values)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.filterset.is_valid():
            # Kept per content generation and language for these filters, as the facet tallies are: every page
            # of the list, and every address with the same filters, draws the same map.
            context["map"], context["map_truncated"] = fragment(self.request, self.map_key(), self.drawn_map, kept_maps)
        return context


def visible(queryset, preview):
    """Published rows only, unless a staff member previews (the preview URLs are staff-only)."""
    return queryset if preview else queryset.published()


def case_detail(request, slug, preview=False):
    # The case alone: its cities, the related cases and the map are read only where the page is drawn, in
    # the "case-detail" fragment, which is kept for the content generation: drawn from the cache, they cost
    # no query.
    case = get_object_or_404(visible(Case.objects.all(), preview), slug=slug)
    case, revision = previewed(request, case) if preview else (case, None)
    # ``all()``: a preview's cities are the revision's, placed in the prefetch cache.
    cities = SimpleLazyObject(lambda: [city for city in case.cities.all() if city.is_published])
    related = SimpleLazyObject(lambda: related_cases(case))
    return page_or_json(
        request,
        "projects/case_detail.html",
        {
            "case": case,
            "cities": cities,
            "related_cases": related,
            "nav_section": "cases",
            "preview": preview,
            "revision": revision,
            "map": SimpleLazyObject(lambda: map_points(cities)),
        },
        lambda: {
            **case_row(case, absolute_url),
            "related": [absolute_url(other.get_absolute_url()) for other in related],
        },
    )


def related_cases(case):
    """The first other published cases of the case's sector, in the sector's own order (title): read from the
    (status, sector, title, slug) index, where the default order (the sector's display order first) would sort
    the whole sector."""
    related = Case.objects.published().select_related("country").filter(sector=case.sector_id).exclude(pk=case.pk)
    return list(related.order_by(*within_a_sector())[:RELATED_CASES])  # each named with its country, nothing more


def sector_list(request):
    return render(
        request,
        "projects/sector_list.html",
        {"sectors": Sector.objects.with_documented_counts(), "nav_section": "sectors"},
    )


def sector_detail(request, slug):
    sector = get_object_or_404(Sector.objects.with_documented_counts(), slug=slug)
    categories = list(CaseCategory.objects.filter(sector=sector).select_related("sector").with_documented_counts())
    cases = Case.objects.published().for_listing().filter(sector=sector).order_by(*within_a_sector())
    return page_or_json(
        request,
        "projects/sector_detail.html",
        {"sector": sector, "categories": categories, "cases": cases[:SECTOR_PAGE_CASES], "nav_section": "sectors"},
        lambda: {
            **sector_row(sector, absolute_url),
            "categories": [category_row(category, absolute_url) for category in categories],
            "cases_url": absolute_url(reverse("projects:case_list") + f"?sector={sector.slug}&format=json"),
        },
    )


def city_detail(request, slug, preview=False):
    city = get_object_or_404(visible(City.objects.for_listing(), preview), slug=slug)
    city, revision = previewed(request, city) if preview else (city, None)
    cases = list(Case.objects.published().for_listing().filter(cities=city))
    return page_or_json(
        request,
        "projects/city_detail.html",
        {
            "city": city,
            "cases": cases,
            "nav_section": "cities",
            "preview": preview,
            "revision": revision,
            "map": map_points([city]),
        },
        lambda: {**city_row(city, absolute_url), "cases": [case_row(case, absolute_url) for case in cases]},
    )


def published_countries():
    """Countries with a published city or case, with their counts: the countries that have a page."""
    return Country.objects.with_published_content().with_counts()


def country_list(request):
    """Every country with a page, grouped by region in the regions' order, by name within a region."""
    countries = sorted(published_countries(), key=lambda country: name_in_page_language(country).casefold())
    regions = []
    for value, label in Region.choices:
        members = [country for country in countries if country.region == value]
        if members:
            regions.append({"slug": value, "label": label, "countries": members})
    return page_or_json(
        request,
        "projects/country_list.html",
        {"regions": regions, "country_count": len(countries), "nav_section": "countries"},
        lambda: {
            "count": len(countries),
            "results": [
                country_summary_row(country, absolute_url)
                for country in sorted(countries, key=lambda country: country.code)
            ],
        },
    )


def country_detail(request, code):
    """One country: its published cities and cases and the map. The ISO code is upper case; a lower-case
    address redirects to it."""
    if code != code.upper():
        query = request.META.get("QUERY_STRING", "")
        target = reverse("projects:country_detail", args=[code.upper()]) + (f"?{query}" if query else "")
        return HttpResponsePermanentRedirect(target)
    country = published_countries().filter(code=code).first()
    if country is None:
        raise Http404(_("No country with the code “%(code)s” has published cities or cases.") % {"code": code})
    cities = list(
        City.objects.published().for_listing().filter(country=country).order_by(in_page_language("name"), "slug")
    )
    cases = list(Case.objects.published().for_listing().filter(country=country).order_by(*CaseListView.default_order()))
    return page_or_json(
        request,
        "projects/country_detail.html",
        {
            "country": country,
            "cities": cities,
            "cases": cases,
            "nav_section": "countries",
            "map": map_points(cities),
        },
        lambda: {
            **country_summary_row(country, absolute_url),
            "cities": [city_row(city, absolute_url) for city in cities],
            "cases": [case_row(case, absolute_url) for case in cases],
        },
    )
