"""The filtered-list view: strict filtering, clear errors, facet counts, active-filter tags and
CSV/JSON exports of the whole filtered set.

django-filter ignores unknown parameters and, on an invalid form, ``filterset.qs`` is only partly
filtered. So the view renders ``object_list`` itself: nothing at all when the form is invalid,
with status 400 and the form's errors on the page (a JSON error body for exports), and a notice
naming any unknown parameter.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from core.cache import understands
from core.links import absolute_url
from listing import exports
from listing.facets import FacetedFilterSet
from listing.paging import CountedPaginator
from listing.querystring import choice_key_and_label, with_changes, without_value

# Query parameters the list pages understand besides their filters.
PAGING_PARAMETERS = {"page", "format"}


class FilteredListView(FilterView):
    strict = True
    nav_section = None
    noun = None  # what the list holds, for the sentences of includes/_list_status.html: "case", "city"...
    export_name = None  # file name stem of the CSV/JSON exports; None: no exports
    export_columns = ()
    export_row = None  # a function (obj, absolute_url) -> dict of export_columns

    def get(self, request, *args, **kwargs):
        fmt = exports.requested_format(request)
        if fmt == "html":
            response = super().get(request, *args, **kwargs)
            understands(request, self.known_parameters())
            return response
        if fmt not in exports.EXPORT_FORMATS or not self.export_name:
            return exports.unknown_format_error(fmt)
        self.filterset = self.get_filterset(self.get_filterset_class())
        understands(request, self.known_parameters())
        if not self.filterset.is_valid():
            errors = self.filterset.form.errors.get_json_data()
            return exports.json_error(_("Some filters are not valid."), errors=errors)
        return self.export(fmt, self.filterset.qs)

    def export(self, fmt, queryset):
        rows = (self.export_row(obj, absolute_url) for obj in exports.iterate(queryset))
        if fmt == "csv":
            return exports.csv_response(rows, self.export_columns, f"{self.export_name}.csv")
        return exports.json_response(
            {
                "count": queryset.count(),
                "filters": self.applied_parameters(),
                "columns": list(self.export_columns),
                "column_labels": exports.column_labels(self.export_columns),
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
        return with_changes(self.request.GET, {"page": None, "format": fmt})

    # (view class, language): the list's queryset as ``get_queryset()`` builds it, kept for the process.
    _querysets = {}

    def get_filterset_kwargs(self, filterset_class):
        return {
            "data": self.request.GET,  # bound even when empty, so every page load validates
            "request": self.request,
            "queryset": self.kept_queryset(),
        }

    def kept_queryset(self):
        """A copy of ``get_queryset()``, which is built once per view class and language: a list's queryset
        depends on nothing else, and building its joins, annotations and order again cost more than filtering
        it (bench/README.md). The kept one is never evaluated; each page reads its own copy."""
        key = (type(self), get_language())
        queryset = self._querysets.get(key)
        if queryset is None:
            queryset = self._querysets[key] = self.get_queryset()
        copy = queryset.all()
        copy.kept_from = queryset  # what depends on the kept one alone is worked out once (listing.facets.rows_of)
        return copy

    paginator_class = CountedPaginator

    def get_paginator(self, queryset, per_page, **kwargs):
        tally = self.filterset.tally() if isinstance(self.filterset, FacetedFilterSet) else None
        # The facet counts sum to the number of results: the paginator need not count them again.
        return super().get_paginator(queryset, per_page, count=tally.total if tally else None, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        if not self.filterset.is_valid():
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)

    def known_parameters(self):
        return set(self.filterset.filters) | PAGING_PARAMETERS

    def unknown_parameters(self):
        known = self.known_parameters()
        return sorted(key for key in self.request.GET if key not in known)

    def active_filters(self):
        """Each applied filter value as (parameter, label, value label, URL that removes it)."""
        form = self.filterset.form
        if not form.is_valid():
            return []
        active = []
        for name, value in form.cleaned_data.items():
            unticked = value is False  # a box left empty ("Include cases with no known year")
            if name == "ordering" or unticked or value in (None, "", []) or (hasattr(value, "exists") and not value):
                continue
            field = form.fields[name]
            values = list(value) if isinstance(value, (list, tuple)) or hasattr(value, "model") else [value]
            for item in values:
                key, label = ("1", _("Yes")) if item is True else choice_key_and_label(field, item)
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
            noun=self.noun,
            result_count=paginator.count if paginator else len(context["object_list"]),
            filter_errors=self.filterset.form.errors if not self.filterset.is_valid() else None,
            active_filters=self.active_filters(),
            unknown_parameters=self.unknown_parameters(),
            clear_url=self.request.path,
            list_query=self.request.GET.urlencode(),  # keys the page's fragments (includes/filtered_list.html)
            export_links=[(fmt.upper(), self.export_url(fmt)) for fmt in exports.EXPORT_FORMATS]
            if self.export_name and self.filterset.is_valid()
            else [],
        )
        return context
