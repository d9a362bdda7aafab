from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject, cached_property

from core.charts import rank_history_chart
from core.citations import split_shared
from core.i18n import localized, year_ranges
from core.links import absolute_url
from listing.exports import page_or_json
from listing.views import FilteredListView
from rankings.exports import ORGANIZATION_COLUMNS, index_row, organization_row, result_row
from rankings.filters import OrganizationFilter
from rankings.models import HostedOrganization, RankingIndex, RankingResult
from rankings.selectors import indices_with_results, with_trends


def index_list(request):
    return render(
        request, "rankings/index_list.html", {"indices": with_trends(indices_with_results()), "nav_section": "rankings"}
    )


class RankHistory:
    """An index's published results, newest edition first, with their citations and the chart: what the page
    draws, worked out on first use (the "index-detail" fragment keeps the drawing for the content generation,
    and a page drawn from it reads none of this)."""

    def __init__(self, index):
        self.index = index

    @cached_property
    def cited(self):
        """(results, shared citations). Each citation once per page: those several editions share are
        numbered and listed once, below the table; a row names its own citations in full and the shared ones
        by number."""
        results = list(RankingResult.objects.published().filter(index=self.index).order_by("-edition", "scope"))
        own, shared = split_shared(results)
        for position, result in enumerate(results):
            result.own_citations = own[position]
            result.shared_sources = []
        for number, entry in enumerate(shared, start=1):
            entry.number = number
            entry.editions = year_ranges(result.edition for result in entry.records)
            for result in entry.records:
                # As text: written twice a row, where the template engine would format an int for the locale.
                result.shared_sources.append(str(number))
        return results, shared

    @cached_property
    def chart(self):
        return rank_history_chart(self.cited[0], index_name=localized(self.index, "name")[0])


def index_detail(request, slug):
    index = get_object_or_404(RankingIndex, slug=slug)
    history = RankHistory(index)
    return page_or_json(
        request,
        "rankings/index_detail.html",
        {
            "index": index,
            "results": SimpleLazyObject(lambda: history.cited[0]),
            "shared_citations": SimpleLazyObject(lambda: history.cited[1]),
            "chart": SimpleLazyObject(lambda: history.chart),
            "nav_section": "rankings",
        },
        lambda: {
            **index_row(index, absolute_url),
            "results": [result_row(result, absolute_url) for result in history.cited[0]],
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
