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
from django.db import models
from django.db.models import Count, Model
from django.forms.renderers import Jinja2
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


def normalised(value, key="pk"):
    """A filter's cleaned value as a sorted list of strings: rows by ``key`` (their primary key unless
    told, e.g. "slug"), choices as they are; nothing for no value."""
    if value is None or isinstance(value, str):
        items = [] if value in (None, "") else [value]
    elif isinstance(value, Model):
        items = [getattr(value, key)]
    elif hasattr(value, "model") or isinstance(value, (list, tuple, set)):
        items = [getattr(item, key) if isinstance(item, Model) else item for item in value]
    else:
        items = [value]
    return sorted(str(item) for item in items)


class FacetTally:
    """The counts a faceted list shows, summed from cells: one cell per combination of facet values
    among the rows the other filters leave, with its number of rows.

    Every facet filter is an equality (a row matches when its value for the facet is among the chosen
    ones), so each count is a sum of cells: a facet's counts sum the cells that match every *other*
    active facet filter, grouped by the facet's own value; the total sums the cells that match them
    all. One pass over the cells makes every count: a cell that fails no filter counts everywhere, one
    that fails a single filter counts only in that facet's counts.

    ``counts``: {facet: {value: rows under the other active filters}}; ``selected``: {facet: {value:
    rows under every active filter}}; ``total``: rows under every active filter.
    """

    def __init__(self, counts, selected, total):
        self.counts, self.selected, self.total = counts, selected, total

    @classmethod
    def from_cells(cls, names, cells, chosen):
        """``cells``: [(values in ``names`` order, rows)]; ``chosen``: {facet: set of chosen values as strings}."""
        names = list(names)
        tests = [(names.index(name), name, allowed) for name, allowed in chosen.items()]
        counts = {name: {} for name in names}
        selected = {name: {} for name in names}
        total = 0
        for values, rows in cells:
            failed = [name for position, name, allowed in tests if str(values[position]) not in allowed]
            if len(failed) > 1:
                continue
            for position, name in enumerate(names):
                if not failed or failed[0] == name:
                    counts[name][values[position]] = counts[name].get(values[position], 0) + rows
                if not failed:
                    selected[name][values[position]] = selected[name].get(values[position], 0) + rows
            if not failed:
                total += rows
        return cls(counts, selected, total)


class FacetedFilterSet(django_filters.FilterSet):
    """A FilterSet that counts, for each facet choice, the results it would give.

    The usual faceted-search rule: a facet's count applies every *other* active filter, so
    choosing a sector does not shrink the counts of the other sectors. ``facets`` maps a filter name to
    the field path its values are on; each facet filter must be an equality on that path (one value, or
    any of several) and a row must have one value per facet (no many-to-many path), so that rows are
    counted once. Then one query counts them all, whatever the data size and the facet filters: it
    applies the other filters and groups the rows by every facet path at once (``FacetTally``); the
    counts of every facet, and the number of results, are sums over its cells.

    The cells are kept in the default cache (``facet_cache_seconds()``), under the filter set's class,
    its base queryset, the values of its other filters and the content generation
    (``seoul_diplomacy.cache``): any change to content makes them stale at once, as it does the cached
    pages, and every combination of facet filters shares the entry. A hit runs no query; a miss runs
    the one query, as without the cache; an invalid form is never counted, so never cached.
    """

    facets = {}

    def queryset_for_cells(self):
        """The base queryset with every filter applied but the facets' (and the order's)."""
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name not in self.facets and name != "ordering":
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def count_cells(self):
        """[(facet values in ``facets`` order, rows)], grouped on the counted table's own columns.

        A facet on a related row's field ("sector__slug") is grouped by the foreign key ("sector") and
        the keys translated afterwards, one small query per related table: joining them first would make
        the database carry their columns through the grouping of every row (twice the time at 100,000 cases).
        """
        model = self.queryset.model
        columns = {}  # facet: (column grouped by, field of the related row or None)
        for name, path in self.facets.items():
            head, _, rest = path.partition("__")
            related = rest and model._meta.get_field(head).is_relation
            columns[name] = (head, rest) if related else (path, None)
        grouped = list(dict.fromkeys(column for column, _ in columns.values()))
        rows = list(self.queryset_for_cells().order_by().values_list(*grouped).annotate(count=Count("pk")))
        translations = {}  # column: {foreign key: {related field: value}}
        for position, column in enumerate(grouped):
            fields = sorted({rest for grouped_by, rest in columns.values() if grouped_by == column and rest})
            keys = {row[position] for row in rows} - {None}
            if fields and keys:
                targets = model._meta.get_field(column).related_model._base_manager.filter(pk__in=keys)
                translations[column] = {
                    pk: dict(zip(fields, values, strict=True)) for pk, *values in targets.values_list("pk", *fields)
                }
        positions = {column: position for position, column in enumerate(grouped)}
        cells = []
        for row in rows:
            values = []
            for column, rest in columns.values():
                value = row[positions[column]]
                values.append(translations[column][value][rest] if rest and value is not None else value)
            cells.append((tuple(values), row[-1]))
        return cells

    def facet_cache_key(self):
        """What the cells depend on: the class, the rows it counts in (the base queryset's SQL, without its
        order) and the value of every filter but the facets and the order (sorted, as strings). The
        content generation is added by ``tally``."""
        cls = type(self)
        values = {
            name: normalised(value)
            for name, value in sorted(self.form.cleaned_data.items())
            if name not in self.facets and name != "ordering"  # neither changes the cells
        }
        try:
            rows = str(self.queryset.order_by().query)
        except EmptyResultSet:  # .none()
            rows = ""
        digest = hashlib.sha256(json.dumps([rows, values], sort_keys=True).encode()).hexdigest()
        return f"facet-cells:{cls.__module__}.{cls.__qualname__}:{digest}"

    def chosen_values(self):
        """{facet: set of chosen values, as strings, in the facet's keys (slug, code...)} for each facet
        filter with a value."""
        chosen = {}
        for name in self.facets:
            key = getattr(self.form.fields[name], "to_field_name", None) or "pk"
            values = set(normalised(self.form.cleaned_data.get(name), key))
            if values:
                chosen[name] = values
        return chosen

    def count_tallies(self, chosen):
        """(the tally, the cells, the tally of no facet filter): what a miss counts and stores."""
        cells = self.count_cells()
        unfiltered = FacetTally.from_cells(self.facets, cells, {})
        return (FacetTally.from_cells(self.facets, cells, chosen) if chosen else unfiltered), cells, unfiltered

    def tally(self):
        """The ``FacetTally`` of a valid form (None for an invalid one), counted once per filter set.

        Two cache entries per set of other filters: the cells, and the tally with no facet filter (the
        common case, read without summing the cells again).
        """
        if not self.is_valid():
            return None
        if hasattr(self, "_tally"):
            return self._tally
        chosen = self.chosen_values()
        seconds = facet_cache_seconds()
        if not seconds:
            self._tally = self.count_tallies(chosen)[0]
            return self._tally
        try:
            # The generation is read before counting: cells counted while content changes are stored
            # under the old number, where no one will look for them.
            key = f"{self.facet_cache_key()}:{generation()}"
            stored = cache.get(f"{key}:cells" if chosen else f"{key}:unfiltered")
        except Exception:
            logger.exception("Facet cache unreachable; counting without it.")
            self._tally = self.count_tallies(chosen)[0]
            return self._tally
        if stored is not None:
            self._tally = FacetTally.from_cells(self.facets, stored, chosen) if chosen else stored
            return self._tally
        self._tally, cells, unfiltered = self.count_tallies(chosen)
        try:
            cache.set_many({f"{key}:cells": cells, f"{key}:unfiltered": unfiltered}, seconds)
        except Exception:
            logger.exception("Facet cache unreachable; counts not stored.")
        return self._tally

    def facet_counts(self):
        """{facet: {value: results with that value, under every other active filter}}; {} if invalid."""
        tally = self.tally()
        return tally.counts if tally else {}

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


class GroupedResults:
    """A queryset in the order of its groups (e.g. sectors in display order), then ``order`` within each
    group, that returns a page without sorting every row.

    The groups' order is on another table, so the database would sort all the matching rows to find one
    page of them. Knowing how many rows each group holds (from the ``FacetTally``), a slice reads only
    the groups it spans: from one group, rows in ``order`` (an index on (group, order) serves it); from
    several, the groups' order written out as a CASE over just their rows. Any slice is one query.
    Paginator asks only ``count()`` and slices.
    """

    def __init__(self, queryset, field, groups, order):
        self.queryset = queryset
        self.field = field  # the column of the group, e.g. "sector" (its primary key)
        self.groups = [(key, size) for key, size in groups if size]  # [(group key, rows)] in group order
        self.order = tuple(order)

    def count(self):
        return sum(size for _, size in self.groups)

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step is not None:
            raise TypeError("GroupedResults can only be sliced, e.g. results[20:40].")
        start, stop = item.start or 0, self.count() if item.stop is None else item.stop
        spanned, offset, first_row = [], 0, 0
        for key, size in self.groups:
            if first_row + size > start and first_row < stop:
                if not spanned:
                    offset = start - first_row
                spanned.append(key)
            first_row += size
        if not spanned or stop <= start:
            return self.queryset.none()
        if len(spanned) == 1:
            rows = self.queryset.filter(**{self.field: spanned[0]}).order_by(*self.order)
        else:
            group_order = models.Case(
                *(models.When(**{self.field: key}, then=rank) for rank, key in enumerate(spanned)),
                output_field=models.IntegerField(),
            )
            rows = self.queryset.filter(**{f"{self.field}__in": spanned}).order_by(group_order, *self.order)
        return rows[offset : offset + stop - start]


class ChoicesInOneQuery(django_filters.fields.ModelChoiceIterator):
    """A filter's choices read as one plain query, kept for the request.

    Django reads model choices through ``QuerySet.iterator()``, which on PostgreSQL opens a server-side
    cursor: three round trips (DECLARE, FETCH, CLOSE) for a table of a few dozen rows, every time the
    choices are listed. The choices come in the same order, after the same "null" and empty choices.
    """

    def __iter__(self):
        if getattr(self.field, "null_label", None) is not None:
            yield (self.field.null_value, self.field.null_label)
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class FilterForm(forms.Form):
    """The filter form with KRDS classes on its widgets and ARIA state on invalid fields.

    Its widgets render with Django's Jinja2 form renderer (the same markup as the default templates):
    a list's filter form has one input per choice, dozens of them, and the Django template engine took
    longer to render them than the rest of the page (``bench/README.md``). The admin keeps the default.
    """

    default_renderer = Jinja2()  # one instance: it compiles each widget template once, then keeps it

    WIDGET_CLASSES = {
        forms.Select: "krds-form-select",
        forms.TextInput: "krds-input",
        forms.NumberInput: "krds-input",
        forms.CheckboxSelectMultiple: "checkbox",
    }

    # Checkbox lists as KRDS chips, all of a list's choices in one template (one render, not four per choice).
    CHIPS_TEMPLATE = "seoul_diplomacy/widgets/chips.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.template_name = self.CHIPS_TEMPLATE
            if isinstance(field, forms.ModelChoiceField):
                field.iterator = ChoicesInOneQuery
                field.widget.choices = field.choices  # the widget holds the iterator made with the field
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

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        tally = self.filterset.tally() if isinstance(self.filterset, FacetedFilterSet) else None
        if tally is not None:
            paginator.count = tally.total  # the facet counts' sum: no COUNT(*) query (a cached_property)
        return paginator

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
