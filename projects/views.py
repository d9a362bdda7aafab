from django.conf import settings
from django.shortcuts import get_object_or_404, render

from projects.filters import CaseFilter, CityFilter
from projects.models import Case, CaseCategory, City, Sector
from seoul_diplomacy.listing import FilteredListView

RELATED_CASES = 5
SECTOR_PAGE_CASES = 20


class CaseListView(FilteredListView):
    filterset_class = CaseFilter
    template_name = "projects/case_list.html"
    paginate_by = settings.CASES_PER_PAGE
    nav_section = "cases"

    def get_queryset(self):
        return Case.objects.published().for_listing()


class CityListView(FilteredListView):
    filterset_class = CityFilter
    template_name = "projects/city_list.html"
    paginate_by = settings.CITIES_PER_PAGE
    nav_section = "cities"

    def get_queryset(self):
        return City.objects.published().for_listing()


def visible(queryset, preview):
    """Published rows only, unless a staff member previews (the preview URLs are staff-only)."""
    return queryset if preview else queryset.published()


def case_detail(request, slug, preview=False):
    case = get_object_or_404(visible(Case.objects.for_listing(), preview), slug=slug)
    related = Case.objects.published().for_listing().filter(sector=case.sector_id).exclude(pk=case.pk)
    return render(
        request,
        "projects/case_detail.html",
        {
            "case": case,
            "cities": [city for city in case.cities.all() if city.is_published],
            "related_cases": related[:RELATED_CASES],
            "nav_section": "cases",
            "preview": preview,
        },
    )


def sector_list(request):
    return render(
        request,
        "projects/sector_list.html",
        {"sectors": Sector.objects.with_documented_counts(), "nav_section": "sectors"},
    )


def sector_detail(request, slug):
    sector = get_object_or_404(Sector.objects.with_documented_counts(), slug=slug)
    cases = Case.objects.published().for_listing().filter(sector=sector)
    return render(
        request,
        "projects/sector_detail.html",
        {
            "sector": sector,
            "categories": CaseCategory.objects.filter(sector=sector).with_documented_counts(),
            "cases": cases[:SECTOR_PAGE_CASES],
            "nav_section": "sectors",
        },
    )


def city_detail(request, slug, preview=False):
    city = get_object_or_404(visible(City.objects.for_listing(), preview), slug=slug)
    return render(
        request,
        "projects/city_detail.html",
        {
            "city": city,
            "cases": Case.objects.published().for_listing().filter(cities=city),
            "nav_section": "cities",
            "preview": preview,
        },
    )
