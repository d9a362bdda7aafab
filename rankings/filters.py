import django_filters
from django.utils.translation import gettext_lazy as _

from listing.forms import FilterForm
from rankings.models import HostedOrganization, OrganizationField


class OrganizationFilter(django_filters.FilterSet):
    field = django_filters.ChoiceFilter(choices=OrganizationField.choices, label=_("Field"), empty_label=_("Any field"))

    class Meta:
        model = HostedOrganization
        form = FilterForm
        fields = ["field"]

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = HostedOrganization.objects.published()
        super().__init__(data, queryset, **kwargs)
