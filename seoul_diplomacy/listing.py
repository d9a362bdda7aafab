"""What every filterable public list shares: strict filtering, clear errors, active-filter tags.

django-filter ignores unknown parameters and, on an invalid form, ``filterset.qs`` is only partly
filtered. So the view renders ``object_list`` itself: nothing at all when the form is invalid,
with status 400 and the form's errors on the page, and a notice naming any unknown parameter.
"""

from django import forms
from django.db.models import Model
from django_filters.views import FilterView

# Query parameters the list pages understand besides their filters.
PAGING_PARAMETERS = {"page"}


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
        context = super().get_context_data(**kwargs)
        paginator = context.get("paginator")
        context.update(
            nav_section=self.nav_section,
            result_count=paginator.count if paginator else len(context["object_list"]),
            filter_errors=self.filterset.form.errors if not self.filterset.is_valid() else None,
            active_filters=self.active_filters(),
            unknown_parameters=self.unknown_parameters(),
            clear_url=self.request.path,
        )
        return context
