"""Template tags of the list pages: links that keep the filters, the pagination bar, error labels."""

from django import template

from listing.querystring import with_changes

register = template.Library()


@register.simple_tag(takes_context=True)
def query_url(context, **changes):
    """The current query string with ``changes`` applied; a value of None removes the key.

    ``{% query_url page=3 %}`` keeps every filter, so pagination and sorting links never lose them.
    """
    return with_changes(context["request"].GET, changes, sort=True)


@register.filter
def elided_pages(page):
    """The page numbers a pagination bar shows: 1 … 4 5 [6] 7 8 … 4754 (ELLIPSIS for each gap)."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.filter
def get_field_label(form, name):
    """The label of form field ``name``: for error lists that link to the field."""
    field = form.fields.get(name)
    return field.label if field else name
