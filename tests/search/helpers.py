"""Helpers of the search tests: a list page's results for a query, and a spy on ``core.search``."""

from core import search
from projects.filters import CaseFilter
from projects.models import Case


def ranked(query, queryset=None):
    return CaseFilter({"q": query}, queryset=queryset if queryset is not None else Case.objects.published()).qs


def spy(monkeypatch, name):
    """Record what ``core.search.<name>`` returns each time it is called."""
    returned = []
    function = getattr(search, name)
    monkeypatch.setattr(search, name, lambda *args: returned.append(function(*args)) or returned[-1])
    return returned
