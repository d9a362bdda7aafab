"""What every filterable public list shares: strict filtering, clear errors, facet counts,
active-filter tags and CSV/JSON exports of the whole filtered set.

django-filter ignores unknown parameters and, on an invalid form, ``filterset.qs`` is only partly
filtered. So the view renders ``object_list`` itself: nothing at all when the form is invalid,
with status 400 and the form's errors on the page (a JSON error body for exports), and a notice
naming any unknown parameter.
"""

import hashlib
import json
import logging

import django_filters
from django import forms
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.core.exceptions import EmptyResultSet
from django.db.models import Count, Model
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from seoul_diplomacy import exports
from seoul_diplomacy.cache import generation

logger = logging.getLogger(__name__)

# Query parameters the list pages understand besides their filters.
PAGING_PARAMETERS = {"page", "format"}


# How long facet counts stay in the cache, unless settings.FACET_CACHE_SECONDS says otherwise.
FACET_CACHE_SECONDS = 600
# Caches each process keeps to itself: a change made in another process (another gunicorn worker, a
# management command) could not bump their generation, so facet counts are not kept there by default.
PROCESS_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def facet_cache_seconds():
    """``settings.FACET_CACHE_SECONDS`` if set (0: off); else 10 minutes with a shared cache, off without."""
    seconds = getattr(settings, "FACET_CACHE_SECONDS", None)
    if seconds is None:
        shared = settings.CACHES[DEFAULT_CACHE_ALIAS]["BACKEND"] not in PROCESS_LOCAL_CACHES
        seconds = FACET_CACHE_SECONDS if shared else 0
    return seconds


def normalised(value):
    """A filter's cleaned value as a sorted list of strings: rows by primary key, choices as they are."""
    if value is None or isinstance(value, str):
        items = [] if value in (None, "") else [value]
    elif isinstance(value, Model):
        items = [value.pk]
    elif hasattr(value, "model") or isinstance(value, (list, tuple, set)):
        items = [item.pk if isinstance(item, Model) else item for item in value]
    else:
        items = [value]
    return sorted(str(item) for item in items)


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet that counts, for each facet choice, the results it would give.

    The usual faceted-search rule: a facet's count applies every *other* active filter, so
    choosing a sector does not shrink the counts of the other sectors. One query per facet,
    whatever the data size. ``facets`` maps a filter name to the field path its values are on.

    The counts are kept in the default cache (``facet_cache_seconds()``), under the filter set's class,
    its base queryset, its filter values and the content generation (``seoul_diplomacy.cache``): any
    change to content makes them stale at once, as it does the cached pages. A hit runs none of the facet
    queries; a miss runs them all, as without the cache; an invalid form is never counted, so never cached.
    """

    facets = {}

    def queryset_without(self, excluded):
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name not in (excluded, "ordering"):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def count_facets(self):
        counts = {}
        for name, path in self.facets.items():
            rows = self.queryset_without(name).order_by().values(path).annotate(count=Count("pk", distinct=True))
            counts[name] = {row[path]: row["count"] for row in rows}
        return counts

    def facet_cache_key(self):
        """What the counts depend on: the class, the rows it counts in (the base queryset's SQL, without
        its order) and every filter value but the order (sorted, as strings). The content generation is
        added by ``facet_counts``."""
        cls = type(self)
        values = {
            name: normalised(value)
            for name, value in sorted(self.form.cleaned_data.items())
            if name != "ordering"  # the order changes no count
        }
        try:
            rows = str(self.queryset.order_by().query)
        except EmptyResultSet:  # .none()
            rows = ""
        digest = hashlib.sha256(json.dumps([rows, values], sort_keys=True).encode()).hexdigest()
        return f"facet-counts:{cls.__module__}.{cls.__qualname__}:{digest}"

    def facet_counts(self):
        if not self.is_valid():
            return {}
        seconds = facet_cache_seconds()
        if not seconds:
            return self.count_facets()
        key = self.facet_cache_key()
        try:
            # The generation is read before counting: counts made while content changes are stored
            # under the old number, where no one will look for them.
            key = f"{key}:{generation()}"
            counts = cache.get(key)
        except Exception:
            logger.exception("Facet cache unreachable; counting without it.")
            return self.count_facets()
        if counts is None:
            counts = self.count_facets()
            try:
                cache.set(key, counts, seconds)
            except Exception:
                logger.exception("Facet cache unreachable; counts not stored.")
        return counts

    def label_choices_with_counts(self):
        """Put each choice's count in its label, e.g. "Transportation (3)"; a choice with none says (0)."""
        for name, counts in self.facet_counts().items():
            field = self.form.fields[name]
            key = getattr(field, "to_field_name", None)
            if key:
                field.label_from_instance = lambda obj, key=key, counts=counts: (
                    f"{obj} ({counts.get(getattr(obj, key), 0)})"
                )
            else:
                field.choices = [
                    (value, f"{label} ({counts.get(value, 0)})" if value else label) for value, label in field.choices
                ]


class FilterForm(forms.Form):
    """The filter form with KRDS classes on its widgets and ARIA state on invalid fields."""

    WIDGET_CLASSES = {
        forms.Select: "krds-form-select",
        forms.TextInput: "krds-input",
        forms.NumberInput: "krds-input",
        forms.CheckboxSelectMultiple: "checkbox",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css_class = next(
                (name for widget, name in self.WIDGET_CLASSES.items() if isinstance(field.widget, widget)), None
            )
            if css_class:
                field.widget.attrs.setdefault("class", css_class)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}_error"})


def without_value(query, name, key=None):
    """A copy of ``query`` without parameter ``name`` (or only its value ``key``), back on page 1."""
    query = query.copy()
    query.pop("page", None)
    if key is None:
        query.pop(name, None)
    else:
        query.setlist(name, [item for item in query.getlist(name) if item.lower() != str(key).lower()])
    return query.urlencode()


def choice_key_and_label(field, value):
    if isinstance(value, Model):
        return getattr(value, "slug", None) or getattr(value, "code", None) or str(value.pk), str(value)
    choices = dict(getattr(field, "choices", ()))
    return str(value), str(choices.get(value, value))


class FilteredListView(FilterView):
    strict = True
    nav_section = None
    export_name = None  # file name stem of the CSV/JSON exports; None: no exports
    export_columns = ()
    export_row = None  # a function (obj, absolute) -> dict of export_columns

    def get(self, request, *args, **kwargs):
        fmt = exports.requested_format(request)
        if fmt == "html":
            return super().get(request, *args, **kwargs)
        if fmt not in exports.EXPORT_FORMATS or not self.export_name:
            return exports.unknown_format_error(fmt)
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_valid():
            errors = self.filterset.form.errors.get_json_data()
            return exports.json_error(_("Some filters are not valid."), errors=errors)
        return self.export(fmt, self.filterset.qs)

    def export(self, fmt, queryset):
        absolute = self.request.build_absolute_uri
        rows = (self.export_row(obj, absolute) for obj in exports.iterate(queryset))
        if fmt == "csv":
            return exports.csv_response(rows, self.export_columns, f"{self.export_name}.csv")
        return exports.json_response(
            {
                "count": queryset.count(),
                "filters": self.applied_parameters(),
                "columns": list(self.export_columns),
                "results": list(rows),
            },
            filename=f"{self.export_name}.json",
        )

    def applied_parameters(self):
        """The filter parameters of the request that carry a value, e.g. {"sector": ["transportation"]}."""
        applied = {}
        for name in self.request.GET:
            values = [value for value in self.request.GET.getlist(name) if value]
            if name in self.filterset.filters and values:
                applied[name] = values
        return applied

    def export_url(self, fmt):
        query = self.request.GET.copy()
        query.pop("page", None)
        query["format"] = fmt
        return "?" + query.urlencode()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = self.request.GET  # bound even when empty, so every page load validates
        return kwargs

    def render_to_response(self, context, **response_kwargs):
        if not self.filterset.is_valid():
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)

    def unknown_parameters(self):
        known = set(self.filterset.filters) | PAGING_PARAMETERS
        return sorted(key for key in self.request.GET if key not in known)

    def active_filters(self):
        """Each applied filter value as (parameter, label, value label, URL that removes it)."""
        form = self.filterset.form
        if not form.is_valid():
            return []
        active = []
        for name, value in form.cleaned_data.items():
            if name == "ordering" or value in (None, "", []) or (hasattr(value, "exists") and not value):
                continue
            field = form.fields[name]
            values = list(value) if isinstance(value, (list, tuple)) or hasattr(value, "model") else [value]
            for item in values:
                key, label = choice_key_and_label(field, item)
                active.append(
                    {
                        "name": name,
                        "field_label": field.label,
                        "label": label,
                        "remove_url": "?" + without_value(self.request.GET, name, key if len(values) > 1 else None),
                    }
                )
        return active

    def get_context_data(self, **kwargs):
        if isinstance(self.filterset, FacetedFilterSet):
            self.filterset.label_choices_with_counts()
        context = super().get_context_data(**kwargs)
        paginator = context.get("paginator")
        context.update(
            nav_section=self.nav_section,
            result_count=paginator.count if paginator else len(context["object_list"]),
            filter_errors=self.filterset.form.errors if not self.filterset.is_valid() else None,
            active_filters=self.active_filters(),
            unknown_parameters=self.unknown_parameters(),
            clear_url=self.request.path,
            export_links=[(fmt.upper(), self.export_url(fmt)) for fmt in exports.EXPORT_FORMATS]
            if self.export_name and self.filterset.is_valid()
            else [],
        )
        return context
