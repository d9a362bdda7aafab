"""Site-wide pages: the home dashboard, the health check and robots.txt."""

from django.db import DatabaseError, connection
from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from projects.models import Case, KeyFigure, Sector
from rankings.views import indices_with_results, latest_world_result

NEWEST_CASES = 6


def home(request):
    indices = list(indices_with_results())
    latest_results = [result for result in map(latest_world_result, indices) if result]
    figures = list(KeyFigure.objects.all())
    return render(
        request,
        "home.html",
        {
            "figures": figures,
            "figures_as_of": max((figure.as_of for figure in figures), default=None),
            "sectors": Sector.objects.with_documented_counts(),
            "latest_results": latest_results,
            "newest_cases": Case.objects.published()
            .for_listing()
            .order_by(F("year_start").desc(nulls_last=True), "-as_of", "title")[:NEWEST_CASES],
            "nav_section": "home",
        },
    )


@never_cache
@require_GET
def healthz(request):
    """For monitors: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse({"status": "error", "database": str(error.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
