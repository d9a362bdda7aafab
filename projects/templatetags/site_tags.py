"""Template tags shared by every page."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from rankings.models import ordinal_en

register = template.Library()


@register.simple_tag(takes_context=True)
def query_url(context, **changes):
    """The current query string with ``changes`` applied; a value of None removes the key.

    ``{% query_url page=3 %}`` keeps every filter, so pagination and sorting links never lose them.
    """
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    encoded = urlencode(sorted(query.lists()), doseq=True)
    return f"?{encoded}" if encoded else "?"


@register.filter
def ordinal(number):
    return ordinal_en(int(number))


@register.simple_tag
def trail(*items):
    """Breadcrumbs: Home, then (label, url) pairs, then the current page's label without a link.

    ``{% trail "Cases" cases_url case.title as crumbs %}``
    """
    crumbs = [(_("Home"), reverse("home"))]
    items = list(items)
    while len(items) >= 2:
        crumbs.append((items.pop(0), items.pop(0)))
    if items:
        crumbs.append((items.pop(0), None))
    return crumbs


@register.filter
def get_field_label(form, name):
    """The label of form field ``name``: for error lists that link to the field."""
    field = form.fields.get(name)
    return field.label if field else name
