"""FilterSets of the public /cases/ and /cities/ pages.

Every filter is typed (a slug, an ISO code, a year, a choice), so a bad value is a form error
the page can show, never an exception. Both build on ``published()``.
"""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _

from core import i18n, search
from core.content import YEAR_MAX, YEAR_MIN
from listing.facets import FacetedFilterSet
from listing.forms import FilterForm
from projects.models import Case, CaseCategory, City, Country, Region, Relationship, Sector, WorkKind

SEARCH_MAX_LENGTH = search.SEARCH_MAX_LENGTH


class UpperCaseMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Accepts ``country=th`` as well as ``country=TH``."""

    def clean(self, value):
        if value:
            value = [item.upper() if isinstance(item, str) else item for item in value]
        return super().clean(value)


class CountryMultipleFilter(django_filters.ModelMultipleChoiceFilter):
    """Countries by ISO code, any of several.

    Without django-filter's DISTINCT: a case or a city has one country, so no row can repeat, and
    DISTINCT made PostgreSQL sort every matching row for a page of 20 (66 ms at 100,000 cases).
    """

    field_class = UpperCaseMultipleChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


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


RELEVANCE = "relevance"


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorts by the chosen field, then by slug, so that pages never overlap or skip a row.

    With ``relevance=True`` it also offers "relevance": the text search's best matches first,
    which is the default order whenever there is a search.
    """

    def __init__(self, *args, relevance=False, choice_labels=None, **kwargs):
        # ``choice_labels`` names every choice, descending ones included ("-title": "Title (Z–A)"):
        # django-filter's own ``field_labels`` only names the ascending ones.
        if choice_labels:
            kwargs["choices"] = list(choice_labels.items())
        super().__init__(*args, **kwargs)
        if relevance:
            self.extra["choices"] = [(RELEVANCE, _("Relevance (with a search)")), *self.extra["choices"]]

    def filter(self, qs, value):
        params = [param for param in value or () if param]  # "ordering=title,," validates as ["title", "", ""]
        searched = RELEVANCE in qs.query.annotations
        if params in ([], [RELEVANCE]):
            return qs.order_by(f"-{RELEVANCE}", in_page_language("title"), "slug") if searched else qs
        fields = [self.get_ordering_value(param) for param in params if param != RELEVANCE]
        return qs.order_by(*map(in_page_language, fields), "slug")


# Text fields with a Korean twin (``<field>_ko``): on Korean pages they sort by the Korean text.
KOREAN_SORT_FIELDS = {"title", "name", "country__name"}


def in_page_language(field):
    """An ``order_by`` term for ``field`` ("name", "-title"...) that sorts Korean pages by the Korean text
    where there is one (Hangul syllables sort in dictionary order by code point), else by the English."""
    descending = field.startswith("-")
    name = field.lstrip("-")
    if name not in KOREAN_SORT_FIELDS or not i18n.is_korean():
        return field
    expression = Coalesce(NullIf(F(f"{name}_ko"), Value("")), F(name))
    return expression.desc() if descending else expression.asc()


def countries_of(model):
    """The choices of a country filter: the countries of published ``model`` rows, in the page's language
    order (가나다 on Korean pages). django-filter calls it for each filter set, in that page's language."""

    def countries(request):
        published = model.objects.published().filter(country=OuterRef("pk"))
        return Country.objects.filter(Exists(published)).order_by(in_page_language("name"), "code")

    return countries


def search_field():
    return django_filters.CharFilter(
        method="search",
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class CaseFilter(FacetedFilterSet):
    facets = {
        "sector": "sector__slug",
        "country": "country__code",
        "region": "country__region",
        "kind": "kind",
        "category": "category__slug",
    }

    q = search_field()
    sector = django_filters.ModelMultipleChoiceFilter(
        distinct=False,  # one sector per case: no row to repeat (see CountryMultipleFilter)
        field_name="sector__slug",
        to_field_name="slug",
        queryset=Sector.objects.all(),
        label=_("Sector"),
        widget=forms.CheckboxSelectMultiple,
    )
    category = django_filters.ModelChoiceFilter(
        field_name="category",
        to_field_name="slug",
        queryset=CaseCategory.objects.select_related("sector"),
        label=_("Category"),
        empty_label=_("Any category"),
    )
    country = CountryMultipleFilter(
        field_name="country__code",
        to_field_name="code",
        queryset=countries_of(Case),
        label=_("Country"),
        widget=forms.CheckboxSelectMultiple,
    )
    region = django_filters.ChoiceFilter(
        field_name="country__region", choices=Region.choices, label=_("Region"), empty_label=_("Any region")
    )
    city = django_filters.ModelChoiceFilter(
        method="filter_city",
        to_field_name="slug",
        queryset=City.objects.published(),
        label=_("City"),
        widget=forms.HiddenInput,
    )
    kind = django_filters.ChoiceFilter(choices=WorkKind.choices, label=_("Kind of work"), empty_label=_("Any kind"))
    year_from = YearFilter(method="filter_year_from", label=_("From year"))
    year_to = YearFilter(method="filter_year_to", label=_("To year"))
    ordering = StableOrderingFilter(
        relevance=True,
        fields=(("sector__order", "sector"), ("title", "title"), ("country__name", "country"), ("year_start", "year")),
        choice_labels={
            "sector": _("Sector"),
            "-sector": _("Sector (reverse)"),
            "title": _("Title (A–Z)"),
            "-title": _("Title (Z–A)"),
            "country": _("Country (A–Z)"),
            "-country": _("Country (Z–A)"),
            "year": _("Year (oldest first)"),
            "-year": _("Year (newest first)"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Case
        form = CaseFilterForm
        fields = ["q", "sector", "category", "country", "region", "city", "kind", "year_from", "year_to"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Case.objects.published()
        super().__init__(data, queryset, **kwargs)

    def search(self, queryset, name, value):
        """Every word in the case's titles, summaries, or its sector's, category's, country's or cities' names,
        accents and case ignored (core.search); title matches first, then summary matches."""
        return search.search(queryset, value, annotate_as=RELEVANCE)

    def filter_city(self, queryset, name, value):
        return queryset.filter(Exists(Case.cities.through.objects.filter(case=OuterRef("pk"), city=value)))

    def filter_year_from(self, queryset, name, value):
        """Cases still running in or after ``value`` (cases without a known year are left out)."""
        return queryset.filter(Q(year_end__gte=value) | Q(year_end__isnull=True, year_start__gte=value))

    def filter_year_to(self, queryset, name, value):
        """Cases that had begun by ``value``."""
        return queryset.filter(Q(year_start__lte=value) | Q(year_start__isnull=True, year_end__lte=value))


class CityFilter(FacetedFilterSet):
    facets = {"relationship": "relationship", "country": "country__code", "region": "country__region"}

    q = search_field()
    relationship = django_filters.ChoiceFilter(
        choices=Relationship.choices, label=_("Relationship with Seoul"), empty_label=_("Any relationship")
    )
    country = CountryMultipleFilter(
        field_name="country__code",
        to_field_name="code",
        queryset=countries_of(City),
        label=_("Country"),
        widget=forms.CheckboxSelectMultiple,
    )
    region = django_filters.ChoiceFilter(
        field_name="country__region", choices=Region.choices, label=_("Region"), empty_label=_("Any region")
    )
    ordering = StableOrderingFilter(
        fields=(("name", "name"), ("country__name", "country"), ("relationship_year", "year")),
        choice_labels={
            "name": _("Name (A–Z)"),
            "-name": _("Name (Z–A)"),
            "country": _("Country (A–Z)"),
            "-country": _("Country (Z–A)"),
            "year": _("Year signed (oldest first)"),
            "-year": _("Year signed (newest first)"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = City
        form = FilterForm
        fields = ["q", "relationship", "country", "region"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = City.objects.published()
        super().__init__(data, queryset, **kwargs)

    def search(self, queryset, name, value):
        """Every word in the city's names or its country's (core.search); the list keeps its order."""
        return search.search(queryset, value, annotate_as="search_rank")
