from django.shortcuts import get_object_or_404, render

from core.charts import rank_history_chart
from core.citations import split_shared
from core.i18n import localized, year_ranges
from core.links import absolute_url
from listing.exports import page_or_json
from listing.views import FilteredListView
from rankings.exports import ORGANIZATION_COLUMNS, index_row, organization_row, result_row
from rankings.filters import OrganizationFilter
from rankings.models import HostedOrganization
from rankings.selectors import indices_with_results, with_trends


def index_list(request):
    return render(
        request, "rankings/index_list.html", {"indices": with_trends(indices_with_results()), "nav_section": "rankings"}
    )


def index_detail(request, slug):
    index = get_object_or_404(indices_with_results(), slug=slug)
    results = index.published_results
    # Each citation once per page: those several editions share are numbered and listed once, below the
    # table; a row names its own citations in full and the shared ones by number.
    own, shared = split_shared(results)
    for position, result in enumerate(results):
        result.own_citations = own[position]
        result.shared_sources = []
    for number, entry in enumerate(shared, start=1):
        entry.number = number
        entry.editions = year_ranges(result.edition for result in entry.records)
        for result in entry.records:
            result.shared_sources.append(number)
    return page_or_json(
        request,
        "rankings/index_detail.html",
        {
            "index": index,
            "results": results,
            "shared_citations": shared,
            "chart": rank_history_chart(results, index_name=localized(index, "name")[0]),
            "nav_section": "rankings",
        },
        lambda: {
            **index_row(index, absolute_url),
            "results": [result_row(result, absolute_url) for result in index.published_results],
        },
    )


class OrganizationListView(FilteredListView):
    filterset_class = OrganizationFilter
    template_name = "rankings/organization_list.html"
    nav_section = "organizations"
    noun = "organization"
    export_name = "seoul-international-organizations"
    export_columns = ORGANIZATION_COLUMNS
    export_row = staticmethod(organization_row)

    def get_queryset(self):
        return HostedOrganization.objects.published()
