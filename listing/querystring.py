"""Query strings of list pages: one place that copies the request's parameters and changes them."""

from django.db.models import Model
from django.utils.http import urlencode


def with_changes(query, changes, *, sort=False):
    """``?`` and ``query`` (a QueryDict) with ``changes`` ({key: value}) applied: a value of None or ""
    removes the key. Keys keep their order, or are sorted with ``sort`` (links that must compare equal).
    Used by the ``query_url`` tag and by the views."""
    query = query.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    items = sorted(query.lists()) if sort else list(query.lists())
    return "?" + urlencode(items, doseq=True)


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
