"""Reads of the rankings that more than one page makes (the rankings pages and the home page)."""

from django.db.models import Prefetch

from core.charts import rank_trend
from rankings.models import RankingIndex, RankingResult


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
