import django_filters
from django.utils.translation import gettext_lazy as _

from core import search
from listing.facets import FacetedFilterSet
from listing.filters import PublishedFilterSet, search_field
from listing.forms import FilterForm
from rankings.models import HostedOrganization, OrganizationField


class OrganizationFilter(PublishedFilterSet, FacetedFilterSet):
    facets = {"field": "field"}

    q = search_field()
    field = django_filters.ChoiceFilter(choices=OrganizationField.choices, label=_("Field"), empty_label=_("Any field"))

    class Meta:
        model = HostedOrganization
        form = FilterForm
        fields = ["q", "field"]

    def search(self, queryset, name, value):
        """Every word in the organization's names, acronym or field (core.search); the list keeps its order."""
        return search.search(queryset, value, annotate_as="search_rank")
