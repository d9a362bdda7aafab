import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core import search
from listing.forms import FilterForm
from rankings.models import HostedOrganization, OrganizationField


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Search"),
        max_length=search.SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    field = django_filters.ChoiceFilter(choices=OrganizationField.choices, label=_("Field"), empty_label=_("Any field"))

    class Meta:
        model = HostedOrganization
        form = FilterForm
        fields = ["q", "field"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = HostedOrganization.objects.published()
        super().__init__(data, queryset, **kwargs)

    def search(self, queryset, name, value):
        """Every word in the organization's names, acronym or field (core.search); the list keeps its order."""
        return search.search(queryset, value, annotate_as="search_rank")
