"""Site-wide pages: the home dashboard, the open-data page, the health check and robots.txt."""

import json
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from projects.models import Case, City, KeyFigure, Sector
from rankings.views import indices_with_results, with_trends
from seoul_diplomacy import exports, open_data
from seoul_diplomacy.content import FIXTURE_NAMES
from seoul_diplomacy.worldmap import map_points

NEWEST_CASES = 6
# The home map draws every sister and friendship city, then places of cases up to this many points:
# beyond a few hundred, points only hide each other and the page grows (each point is a link).
HOME_MAP_LIMIT = 400


def home_map_cities():
    """Published sister and friendship cities, then places of published cases, each by name: at most
    HOME_MAP_LIMIT. The places are asked for even when the partners fill the map (one row, dropped), so
    that the page runs the same queries whatever the data."""
    cities = City.objects.published().select_related("country").order_by("name", "slug")
    partners = list(cities.partners()[:HOME_MAP_LIMIT])
    remaining = HOME_MAP_LIMIT - len(partners)
    return partners + list(cities.case_places()[: max(remaining, 1)])[:remaining]


def home(request):
    indices = [index for index in with_trends(indices_with_results()) if index.trend]
    figures = list(KeyFigure.objects.all())
    return render(
        request,
        "home.html",
        {
            "figures": figures,
            "figures_as_of": max((figure.as_of for figure in figures), default=None),
            "sectors": Sector.objects.with_documented_counts(),
            "indices": indices,
            "newest_cases": Case.objects.published().for_listing().newest_first()[:NEWEST_CASES],
            "nav_section": "home",
            "map": map_points(home_map_cities()),
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
def favicon(request):
    """The site's icon at the address browsers ask for when a page names none (the admin's pages)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_GET
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /*?*format=", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def dataset_metadata(request, as_of):
    """schema.org Dataset metadata, as Korea's public data portal gives for its data sets."""
    absolute = request.build_absolute_uri
    distributions = [
        {
            "@type": "DataDownload",
            "name": f"{table.title} ({fmt.upper()})",
            "encodingFormat": "text/csv" if fmt == "csv" else "application/json",
            "contentUrl": absolute(reverse("data_table_" + fmt, args=[table.slug])),
        }
        for table in open_data.TABLES.values()
        for fmt in exports.EXPORT_FORMATS
    ]
    metadata = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": _("Seoul City Diplomacy"),
        "description": _(
            "Urban policies the Seoul Metropolitan Government has shared with other cities, its sister "
            "and friendship cities, the international organizations in Seoul, and Seoul's rank in international "
            "city indices, each with its source."
        ),
        "url": absolute(reverse("data")),
        "license": open_data.LICENCE_URL,
        "creator": {"@type": "GovernmentOrganization", "name": _("Seoul Metropolitan Government")},
        "isAccessibleForFree": True,
        "inLanguage": "en",
        "spatialCoverage": "Worldwide",
        "distribution": distributions,
    }
    if as_of:
        metadata["dateModified"] = as_of.isoformat()
    # Escaped like json_script, so the JSON cannot close the <script> element it sits in.
    text = json.dumps(metadata, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def data_page(request):
    as_of = open_data.latest_as_of()
    return render(
        request,
        "data.html",
        {
            "tables": open_data.TABLES.values(),
            "fixture_names": FIXTURE_NAMES,
            "as_of": as_of,
            "licence_name": open_data.LICENCE_NAME,
            "licence_url": open_data.LICENCE_URL,
            "attribution": open_data.ATTRIBUTION,
            "dataset_json": dataset_metadata(request, as_of),
            "nav_section": "data",
        },
    )


def data_table(request, table, fmt):
    try:
        table = open_data.TABLES[table]
    except KeyError:
        raise Http404(_("There is no table “%(name)s”.") % {"name": table}) from None
    rows = table.rows(request.build_absolute_uri)
    filename = f"seoul-city-diplomacy-{table.slug}.{fmt}"
    if fmt == "csv":
        return exports.csv_response(rows, table.columns, filename)
    return exports.json_response(
        {"table": table.slug, "licence": open_data.LICENCE_URL, "columns": table.columns, "results": list(rows)},
        filename=filename,
    )


def fixture_file(request, name):
    """A fixture file of the data set as shipped with this release."""
    if name not in FIXTURE_NAMES:
        raise Http404(_("There is no fixture “%(name)s”.") % {"name": name})
    path = Path(settings.FIXTURE_DIRS[0]) / f"{name}.json"
    return FileResponse(path.open("rb"), content_type="application/json", filename=f"{name}.json")
