from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from rankings.exports import ORGANIZATION_COLUMNS, index_row, organization_row, result_row
from rankings.filters import OrganizationFilter
from rankings.models import HostedOrganization, RankingIndex, RankingResult
from seoul_diplomacy.charts import rank_history_chart, rank_trend
from seoul_diplomacy.exports import page_or_json
from seoul_diplomacy.listing import FilteredListView


def indices_with_results():
    """Every index with its published results, newest edition first, in two queries."""
    results = RankingResult.objects.published().order_by("-edition", "scope")
    return RankingIndex.objects.prefetch_related(Prefetch("results", queryset=results, to_attr="published_results"))


def with_trends(indices):
    """Each index with ``trend``: its newest world result (else newest of any scope) against the edition before."""
    indices = list(indices)
    for index in indices:
        index.trend = rank_trend(index.published_results)
    return indices


def index_list(request):
    return render(
        request, "rankings/index_list.html", {"indices": with_trends(indices_with_results()), "nav_section": "rankings"}
    )


def index_detail(request, slug):
    index = get_object_or_404(indices_with_results(), slug=slug)
    absolute = request.build_absolute_uri
    return page_or_json(
        request,
        "rankings/index_detail.html",
        {
            "index": index,
            "results": index.published_results,
            "chart": rank_history_chart(index.published_results, index_name=index.name),
            "nav_section": "rankings",
        },
        lambda: {**index_row(index, absolute), "results": [result_row(r, absolute) for r in index.published_results]},
    )


class OrganizationListView(FilteredListView):
    filterset_class = OrganizationFilter
    template_name = "rankings/organization_list.html"
    nav_section = "organizations"
    export_name = "seoul-international-organizations"
    export_columns = ORGANIZATION_COLUMNS
    export_row = staticmethod(organization_row)

    def get_queryset(self):
        return HostedOrganization.objects.published()
