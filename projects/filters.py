"""FilterSets of the public /cases/ and /cities/ pages.

Every filter is typed (a slug, an ISO code, a year, a choice), so a bad value is a form error
the page can show, never an exception. Both build on ``published()``.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core import search
from core.content import YEAR_MAX, YEAR_MIN, Status
from core.i18n import localized
from listing.facets import FacetedFilterSet
from listing.filters import (
    RELEVANCE,
    PublishedFilterSet,
    RowChoiceFilter,
    RowMultipleChoiceFilter,
    StableOrderingFilter,
    in_page_language,
    search_field,
)
from listing.forms import FilterForm, GroupedModelChoiceField, RowMultipleChoiceField
from projects.models import Case, CaseCategory, City, Country, Region, Relationship, Sector, WorkKind


class UpperCaseMultipleChoiceField(RowMultipleChoiceField):
    """Accepts ``country=th`` as well as ``country=TH``."""

    def clean(self, value):
        if value:
            value = [item.upper() if isinstance(item, str) else item for item in value]
        return super().clean(value)


class CountryMultipleFilter(RowMultipleChoiceFilter):
    """Countries by ISO code, any of several (a case or a city has one country: no DISTINCT)."""

    field_class = UpperCaseMultipleChoiceField


class YearFilter(django_filters.NumberFilter):
    """A whole year between 1900 and 2100; anything else is a form error.

    A text input with a numeric keyboard, not type="number": a bad value ("abc") is shown back to
    the visitor as typed, which a number input cannot hold in valid HTML.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4, "size": 6}))
        super().__init__(*args, **kwargs)


class CaseFilterForm(FilterForm):
    def clean(self):
        data = super().clean()
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from and year_to and year_from > year_to:
            self.add_error(
                "year_to",
                _("“To year” (%(to)s) is before “From year” (%(from)s).") % {"to": year_to, "from": year_from},
            )
        return data


# Both lists sort by the country's name, in the page's language.
BY_COUNTRY = {"country": _("Country (A–Z)"), "-country": _("Country (Z–A)")}


def country_filter(model):
    """Countries by ISO code, any of several, among the countries of published ``model`` rows."""
    return CountryMultipleFilter(
        field_name="country",
        to_field_name="code",
        queryset=countries_of(model),
        label=_("Country"),
        widget=forms.CheckboxSelectMultiple,
    )


def region_filter():
    return django_filters.ChoiceFilter(
        field_name="country__region", choices=Region.choices, label=_("Region"), empty_label=_("Any region")
    )


def countries_of(model):
    """The choices of a country filter: the countries of published ``model`` rows, in the page's language
    order (가나다 on Korean pages). django-filter calls it for each filter set, in that page's language."""

    def countries(request):
        published = model.objects.published().filter(country=OuterRef("pk"))
        return Country.objects.filter(Exists(published)).order_by(in_page_language("name"), "code")

    return countries


def cities_of_cases(request):
    """The choices of the cases' city filter: published cities named by a published case, grouped by
    country, both in the page's language order."""
    named = Case.cities.through.objects.filter(city=OuterRef("pk"), case__status=Status.PUBLISHED)
    return (
        City.objects.published()
        .filter(Exists(named))
        .select_related("country")
        .order_by(in_page_language("country__name"), "country__code", in_page_language("name"), "slug")
    )


class CityChoiceFilter(django_filters.ModelChoiceFilter):
    """One city, chosen in a ``<select>`` of cities grouped by country (works without JavaScript)."""

    field_class = GroupedModelChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("group_label", lambda city: localized(city.country, "name")[0] if city.country_id else "")
        kwargs.setdefault("label_from_instance", lambda city: localized(city, "name")[0])
        super().__init__(*args, **kwargs)


# Filters that leave out the cases with no known year, and the box that lets them back in.
YEAR_FILTERS = ("year_from", "year_to")
UNDATED = "undated"


class CaseFilter(PublishedFilterSet, FacetedFilterSet):
    facets = {
        "sector": "sector__slug",
        "country": "country__code",
        "region": "country__region",
        "kind": "kind",
        "category": "category__slug",
    }

    q = search_field()
    sector = RowMultipleChoiceFilter(
        field_name="sector",
        to_field_name="slug",
        queryset=Sector.objects.order_by("order", "slug"),  # the default order's groups (CaseListView)
        label=_("Sector"),
        widget=forms.CheckboxSelectMultiple,
    )
    category = RowChoiceFilter(
        field_name="category",
        to_field_name="slug",
        queryset=CaseCategory.objects.select_related("sector"),
        label=_("Category"),
        empty_label=_("Any category"),
    )
    country = country_filter(Case)
    region = region_filter()
    city = CityChoiceFilter(
        method="filter_city",
        to_field_name="slug",
        queryset=cities_of_cases,
        label=_("City"),
        empty_label=_("Any city"),
    )
    kind = django_filters.ChoiceFilter(choices=WorkKind.choices, label=_("Kind of work"), empty_label=_("Any kind"))
    year_from = YearFilter(method="filter_year_from", label=_("From year"))
    year_to = YearFilter(method="filter_year_to", label=_("To year"))
    undated = django_filters.BooleanFilter(
        method="filter_undated", label=_("Include cases with no known year"), widget=forms.CheckboxInput
    )
    ordering = StableOrderingFilter(
        relevance=True,
        fields=(
            ("sector__order", "sector"),
            ("title", "title"),
            ("country__name", "country"),
            ("year_start", "year"),
            ("last_published_at", "published"),
        ),
        choice_labels={
            "sector": _("Sector"),
            "-sector": _("Sector (reverse)"),
            "title": _("Title (A–Z)"),
            "-title": _("Title (Z–A)"),
            **BY_COUNTRY,
            "year": _("Year (oldest first)"),
            "-year": _("Year (newest first)"),
            "-published": _("Recently published first"),
            "published": _("Published (earliest first)"),
        },
        default_label=_("Sector (default)"),
        nulls_last=["last_published_at"],  # the shipped edition's rows carry no publication dates
    )

    class Meta:
        model = Case
        form = CaseFilterForm
        fields = ["q", "sector", "category", "country", "region", "city", "kind", "year_from", "year_to", "undated"]

    def undated_count(self):
        """How many cases match every other filter but have no known year, when a year filter is set (and
        so leaves them out unless ``undated`` is ticked); None without a year filter or on an invalid form."""
        if not self.is_valid():
            return None
        data = self.form.cleaned_data
        if not any(data.get(name) for name in YEAR_FILTERS):
            return None
        queryset = self.queryset
        for name, value in data.items():
            if name not in (*YEAR_FILTERS, UNDATED, "ordering"):
                queryset = self.filters[name].filter(queryset, value)
        return queryset.filter(year_start__isnull=True, year_end__isnull=True).order_by().count()

    def search(self, queryset, name, value):
        """Every word in the case's titles, summaries, or its sector's, category's, country's or cities' names,
        accents and case ignored (core.search); title matches first, then summary matches."""
        return search.search(queryset, value, annotate_as=RELEVANCE)

    def filter_city(self, queryset, name, value):
        return queryset.filter(Exists(Case.cities.through.objects.filter(case=OuterRef("pk"), city=value)))

    def undated_included(self):
        return bool(self.form.cleaned_data.get(UNDATED))

    def with_undated(self, condition):
        """``condition``, or no known year at all when the visitor asked for those cases too."""
        if self.undated_included():
            return condition | Q(year_start__isnull=True, year_end__isnull=True)
        return condition

    def filter_year_from(self, queryset, name, value):
        """Cases still running in or after ``value`` (cases without a known year only with ``undated``)."""
        return queryset.filter(
            self.with_undated(Q(year_end__gte=value) | Q(year_end__isnull=True, year_start__gte=value))
        )

    def filter_year_to(self, queryset, name, value):
        """Cases that had begun by ``value``."""
        return queryset.filter(
            self.with_undated(Q(year_start__lte=value) | Q(year_start__isnull=True, year_end__lte=value))
        )

    def filter_undated(self, queryset, name, value):
        """Nothing by itself: it widens the year filters (``with_undated``)."""
        return queryset


class CityFilter(PublishedFilterSet, FacetedFilterSet):
    facets = {"relationship": "relationship", "country": "country__code", "region": "country__region"}

    q = search_field()
    relationship = django_filters.ChoiceFilter(
        choices=Relationship.choices, label=_("Relationship with Seoul"), empty_label=_("Any relationship")
    )
    country = country_filter(City)
    region = region_filter()
    ordering = StableOrderingFilter(
        fields=(("name", "name"), ("country__name", "country"), ("relationship_year", "year")),
        choice_labels={
            "name": _("Name (A–Z)"),
            "-name": _("Name (Z–A)"),
            **BY_COUNTRY,
            "year": _("Year signed (oldest first)"),
            "-year": _("Year signed (newest first)"),
        },
        default_label=_("Name (A–Z, default)"),
    )

    class Meta:
        model = City
        form = FilterForm
        fields = ["q", "relationship", "country", "region"]

    def search(self, queryset, name, value):
        """Every word in the city's names or its country's (core.search); the list keeps its order."""
        return search.search(queryset, value, annotate_as="search_rank")
