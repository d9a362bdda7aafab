"""Query strings of list pages: one place that copies the request's parameters and changes them."""

from urllib import parse

from django.db.models import Model
from django.utils.http import urlencode


def with_changes(query, changes, *, sort=False):
    """``?`` and ``query`` (a QueryDict) with ``changes`` ({key: value}) applied: a value of None or ""
    removes the key. Keys keep their order, or are sorted with ``sort`` (links that must compare equal).
    Used by the ``query_url`` tag and by the views.

    What ``query.copy()`` then ``query[key] = value`` give, without deep-copying the QueryDict (a list page
    makes a dozen of these links)."""
    lists = dict(query.lists())  # the lists themselves are shared, never changed
    for key, value in changes.items():
        if value is None or value == "":
            lists.pop(key, None)
        else:
            lists[key] = [value]
    items = sorted(lists.items()) if sort else list(lists.items())
    return "?" + urlencode(items, doseq=True)


def without_value(query, name, key=None):
    """A copy of ``query`` without parameter ``name`` (or only its value ``key``), back on page 1."""
    lists = dict(query.lists())
    lists.pop("page", None)
    if key is None:
        lists.pop(name, None)
    elif name in lists:
        lists[name] = [item for item in lists[name] if item.lower() != str(key).lower()]
    return parse.urlencode([(key_, value) for key_, values in lists.items() for value in values])  # as QueryDict's


def choice_key_and_label(field, value):
    if isinstance(value, Model):
        return getattr(value, "slug", None) or getattr(value, "code", None) or str(value.pk), str(value)
    choices = dict(getattr(field, "choices", ()))
    return str(value), str(choices.get(value, value))
