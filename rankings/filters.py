import django_filters
from django.utils.translation import gettext_lazy as _

from listing.facets import FacetedFilterSet
from listing.filters import PublishedFilterSet
from listing.forms import FilterForm
from rankings.models import HostedOrganization, OrganizationField


class OrganizationFilter(PublishedFilterSet, FacetedFilterSet):
    facets = {"field": "field"}

    field = django_filters.ChoiceFilter(choices=OrganizationField.choices, label=_("Field"), empty_label=_("Any field"))

    class Meta:
        model = HostedOrganization
        form = FilterForm
        fields = ["field"]
