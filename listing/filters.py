"""Filters every list shares: the published base, a text search box, and a stable, language-aware order."""

import copy
import functools

import django_filters
from django import forms
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core import i18n, search
from core.cache import fragment, keeps_fragments, kept_rows
from listing.forms import CopiedFields, KeptOptionsSelect, RowChoiceField, RowMultipleChoiceField

SEARCH_MAX_LENGTH = search.SEARCH_MAX_LENGTH


class PublishedFilterSet(django_filters.FilterSet):
    """Filters the model's published rows, unless a view passes another queryset.

    Each page builds its filters and their form from the class's own once per language, not afresh: the
    filters are copied one level deep (django-filter deep-copies them, querysets and all), and the form
    class, whose fields hold the choices' querysets in the page's language order, is made once per
    filter set and language (django-filter makes a new one, with new fields, for every page). The form
    still copies its fields, and each field its queryset, for every page, as every Django form does.
    """

    _form_classes = {}  # (filter set class, language): form class; shared by every subclass, keyed by class

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = self._meta.model.objects.published()
        base_filters = self.base_filters
        self.base_filters = {}  # django-filter's deep copy copies nothing; the filters are copied below
        super().__init__(data, queryset, **kwargs)
        del self.base_filters
        self.filters = {}
        for name, base in base_filters.items():
            filter_ = copy.copy(base)
            filter_.extra = dict(base.extra)  # a model choice filter puts its queryset there, page by page
            filter_.model, filter_.parent = queryset.model, self
            if base.method is not None:
                filter_.method = base.method  # binds the filter's method to this copy, and so to this filter set
            self.filters[name] = filter_

    @property
    def form(self):
        """The form, each model choice field given its rows as kept for the content generation and the
        page's language (``core.cache.kept_rows``): a filter's choices are the same for every page until
        the content changes, so a page reads none of them again."""
        if not hasattr(self, "_form"):
            form = super().form
            for name, field in form.fields.items():
                # Where nothing would be kept (no request, as for a filter set made in code such as a
                # search's; a staff member's; the cache off), the choices stay a queryset, read only if the
                # form needs them: listing them all here would read every city.
                # The form class's queryset is shared by every form (``CopiedFields``): never evaluated itself.
                if not isinstance(field, forms.ModelChoiceField):
                    continue
                if keeps_fragments(self.request):
                    key = ("choices", type(self).__module__, type(self).__qualname__, name)
                    if isinstance(field.widget, KeptOptionsSelect):
                        field.widget.keep_for(self.request, key)
                    field.rows = fragment(self.request, key, lambda field=field: list(field.queryset.all()), kept_rows)
                else:
                    field.queryset = field.queryset  # the setter gives the form a copy of its own, as Django does
        return self._form

    def get_form_class(self):
        key = (type(self), translation.get_language())
        form_class = self._form_classes.get(key)
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = CopiedFields(form_class.base_fields)
            self._form_classes[key] = form_class
        return form_class


class RowChoiceFilter(django_filters.ModelChoiceFilter):
    """One row of a related table by its key (e.g. a category by slug); the list is filtered by the
    foreign key, and the table is read once per page (``RowsReadOnce``)."""

    field_class = RowChoiceField


class RowMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Rows of a related table by key, any of several (e.g. sectors by slug). The list is filtered by the
    foreign key column (``field_name`` names the relation itself, not a field of the related row), and the
    table is read once per page (``RowsReadOnce``).

    Without django-filter's DISTINCT by default: where each listed row has one related row (a case's
    sector, its country), no row can repeat, and DISTINCT makes the database sort every matching row to
    return one page.
    """

    field_class = RowMultipleChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def get_filter_predicate(self, v):
        return {self.field_name: v}


def search_field():
    return django_filters.CharFilter(
        method="search",
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


RELEVANCE = "relevance"


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorts by the chosen field, then by slug, so that pages never overlap or skip a row.

    With ``relevance=True`` it also offers "relevance": the text search's best matches first,
    which is the default order whenever there is a search.
    """

    def __init__(self, *args, relevance=False, choice_labels=None, default_label=None, nulls_last=(), **kwargs):
        kwargs.setdefault("label", _("Sort by"))
        self.nulls_last = set(nulls_last)  # fields whose empty values sort last either way (dates not yet set)
        # ``choice_labels`` names every choice, descending ones included ("-title": "Title (Z–A)"):
        # django-filter's own ``field_labels`` only names the ascending ones. ``default_label`` names the
        # list's own order (the empty choice), which django-filter would call "---------".
        if default_label is not None:
            kwargs["empty_label"] = default_label
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
        return qs.order_by(*map(self.term, fields), "slug")

    def term(self, field):
        name = field.lstrip("-")
        if name not in self.nulls_last:
            return in_page_language(field)
        return F(name).desc(nulls_last=True) if field.startswith("-") else F(name).asc(nulls_last=True)


# Text fields with a Korean twin (``<field>_ko``): on Korean pages they sort by the Korean text.
KOREAN_SORT_FIELDS = {"title", "name", "country__name"}


def in_page_language(field):
    """An ``order_by`` term for ``field`` ("name", "-title"...) that sorts Korean pages by the Korean text
    where there is one (Hangul syllables sort in dictionary order by code point), else by the English."""
    return sort_term(field, korean=i18n.is_korean())


@functools.cache
def sort_term(field, *, korean):
    """``in_page_language``'s term, one object for each field and language: an order is told from another by
    comparing its terms, which is immediate for the same objects (expressions made anew compare by working
    their identities out). A query copies an expression before changing it, so one object serves every page."""
    descending = field.startswith("-")
    name = field.lstrip("-")
    if name not in KOREAN_SORT_FIELDS or not korean:
        return field
    expression = korean_first(name)
    return expression.desc() if descending else expression.asc()


def korean_first(name):
    """The Korean text of ``name`` where there is one, else the English: what Korean pages sort by."""
    return Coalesce(NullIf(F(f"{name}_ko"), Value("")), F(name))
