"""The filter form every list shares: KRDS classes, ARIA state on invalid fields, widgets rendered
with Django's Jinja2 form renderer (its checkbox chips: ``listing/jinja2/listing/widgets/chips.html``)."""

import copy

import django_filters
from django import forms
from django.forms.renderers import Jinja2

from core.cache import fragment


def choice_rows(field):
    """The rows a model choice field offers: those the filter set kept for the content generation
    (``field.rows``, ``PublishedFilterSet.form``), else its queryset's, read once for the form."""
    rows = getattr(field, "rows", None)
    return rows if rows is not None else field.queryset


class ChoicesInOneQuery(django_filters.fields.ModelChoiceIterator):
    """A filter's choices read as one plain query, kept for the request (or for the content generation:
    ``choice_rows``).

    Django reads model choices through ``QuerySet.iterator()``, which on PostgreSQL opens a server-side
    cursor: three round trips (DECLARE, FETCH, CLOSE) for a table of a few dozen rows, every time the
    choices are listed. The choices come in the same order, after the same "null" and empty choices.
    """

    def __iter__(self):
        if getattr(self.field, "null_label", None) is not None:
            yield (self.field.null_value, self.field.null_label)
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in choice_rows(self.field):
            yield self.choice(obj)


class RowsReadOnce:
    """A model choice field that reads its table once per form.

    The choices, the rows the submitted keys name and the labels with their counts all come from one
    evaluation of ``queryset`` (iterating it again reads its result cache), so a filter value takes one
    form from the URL on: the key ("transportation") becomes the row, and the row is what filters the
    list (by its primary key) and what the facets and the page read.
    """

    counts = None  # {key: results}, set by FacetedFilterSet.label_choices_with_counts; shown after each label

    def key_of(self, obj):
        return str(getattr(obj, self.to_field_name or "pk"))

    def rows_by_key(self):
        return {self.key_of(obj): obj for obj in choice_rows(self)}

    def row_for(self, key):
        """The row whose key is ``key``, or a "not one of the choices" error naming it."""
        row = self.rows_by_key().get(str(key))
        if row is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": key}
            )
        return row

    def label_from_instance(self, obj):
        label = super().label_from_instance(obj)
        if self.counts is None:
            return label
        return f"{label} ({self.counts.get(getattr(obj, self.to_field_name or 'pk'), 0)})"


class RowChoiceField(RowsReadOnce, django_filters.fields.ModelChoiceField):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        return self.row_for(value)


class RowMultipleChoiceField(RowsReadOnce, django_filters.fields.ModelMultipleChoiceField):
    def clean(self, value):
        """The chosen rows, in the order given, each once; [] for none."""
        value = self.prepare_value(value)
        if not value:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if not isinstance(value, (list, tuple)):
            raise forms.ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        rows = list(dict.fromkeys(self.row_for(key) for key in value))
        self.run_validators(value)
        return rows


class GroupedChoicesInOneQuery(ChoicesInOneQuery):
    """The same choices in ``<optgroup>``s: consecutive rows with the same ``field.group_label(obj)`` form
    one group (so the queryset must be ordered by the group first)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        group, members = None, []
        for obj in choice_rows(self.field):
            label = self.field.group_label(obj)
            if members and label != group:
                yield (group, members)
                members = []
            group = label
            members.append(self.choice(obj))
        if members:
            yield (group, members)


class KeptOptionsSelect(forms.Select):
    """A ``<select>`` of many choices (the cities of /cases/: 2,000 at 100,000 cases) whose markup with nothing
    chosen depends only on the content, the language and its own name and attributes: kept as a fragment
    (``core.cache.fragment``) for every page that shows it so, where the form's page may keep fragments
    (``request``, given by ``PublishedFilterSet.form``). With a value chosen it is drawn as ``Select`` draws it."""

    request = None
    choices_key = ()  # what names its choices: the filter set and the field (``keep_for``)

    def keep_for(self, request, choices_key):
        self.request, self.choices_key = request, choices_key

    def render(self, name, value, attrs=None, renderer=None):
        if self.request is None or value not in (None, ""):
            return super().render(name, value, attrs, renderer)
        key = ("select", *self.choices_key, name, tuple(sorted({**self.attrs, **(attrs or {})}.items())))
        return fragment(self.request, key, lambda: forms.Select.render(self, name, value, attrs, renderer))


class GroupedModelChoiceField(django_filters.fields.ModelChoiceField):
    """A model choice rendered as a ``<select>`` with one ``<optgroup>`` per group (e.g. cities by country).
    ``group_label`` and ``label_from_instance`` are passed by the filter."""

    widget = KeptOptionsSelect

    def __init__(self, *args, group_label, label_from_instance=None, **kwargs):
        self.group_label = group_label
        super().__init__(*args, **kwargs)
        if label_from_instance is not None:
            self.label_from_instance = label_from_instance


WIDGET_CLASSES = {
    forms.Select: "krds-form-select",
    forms.TextInput: "krds-input",
    forms.NumberInput: "krds-input",
    forms.CheckboxSelectMultiple: "checkbox",
}

# Checkbox lists as KRDS chips, all of a list's choices in one template (one render, not four per choice).
CHIPS_TEMPLATE = "listing/widgets/chips.html"


def dress(field):
    """Give a filter form's field its KRDS widget (class, chips template) and its choices' iterator."""
    if isinstance(field.widget, forms.CheckboxSelectMultiple):
        field.widget.template_name = CHIPS_TEMPLATE
    if isinstance(field, forms.ModelChoiceField):
        field.iterator = GroupedChoicesInOneQuery if hasattr(field, "group_label") else ChoicesInOneQuery
        field.widget.choices = field.choices  # the widget holds the iterator made with the field
    css_class = next((name for widget, name in WIDGET_CLASSES.items() if isinstance(field.widget, widget)), None)
    if css_class:
        field.widget.attrs.setdefault("class", css_class)


def copied_field(field):
    """``field`` copied for one form, as ``Field.__deepcopy__`` copies it (its widget and the widget's attrs,
    error messages and validators), but sharing what no form changes in place: a choice field's choices (a
    page sets new ones whole: ``FacetedFilterSet.label_choices_with_counts``) and a model choice field's
    queryset, left unevaluated (``PublishedFilterSet.form`` gives each form its rows, or its own copy of the
    queryset). Django's deep copy copies every choice's lazy label and clones every queryset, for every page."""
    if isinstance(field, forms.MultiValueField):  # its fields are copied with it
        return copy.deepcopy(field)
    result = copy.copy(field)
    result.widget = copy.copy(field.widget)
    result.widget.attrs = field.widget.attrs.copy()
    result.error_messages = field.error_messages.copy()
    result.validators = field.validators[:]
    if isinstance(result, forms.ModelChoiceField):
        result.widget.choices = result.choices  # an iterator made with the copy, as in ``dress``
    return result


class CopiedFields(dict):
    """A filter form class's ``base_fields``, dressed once (``dress``), that each form copies with
    ``copied_field`` (``BaseForm.__init__`` deep-copies them)."""

    def __init__(self, fields):
        super().__init__(fields)
        for field in self.values():
            dress(field)

    def __deepcopy__(self, memo):
        return {name: copied_field(field) for name, field in self.items()}


class FilterForm(forms.Form):
    """The filter form with KRDS classes on its widgets and ARIA state on invalid fields.

    Its widgets render with Django's Jinja2 form renderer (the same markup as the default templates):
    a list's filter form has one input per choice, dozens of them, and the Django template engine took
    longer to render them than the rest of the page (``bench/README.md``). The admin keeps the default.
    """

    default_renderer = Jinja2()  # one instance: it compiles each widget template once, then keeps it

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not isinstance(self.base_fields, CopiedFields):  # those came dressed
            for field in self.fields.values():
                dress(field)

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}_error"})
