"""The site's own pages, composed from both apps: the home dashboard, the health check, robots.txt, the
icon, and the error pages."""

import math
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.links import absolute_url
from core.worldmap import map_points
from projects.models import Case, City, KeyFigure, Sector
from rankings.selectors import indices_with_results, with_trends

NEWEST_CASES = 6
# The home map draws every sister and friendship city, then places of cases up to this many points:
# beyond a few hundred, points only hide each other and the page grows (each point is a link).
HOME_MAP_LIMIT = 400
# Any key: /healthz reads it to see whether the cache answers.
HEALTH_CACHE_KEY = "healthz"


def home_map_cities():
    """Published sister and friendship cities, then places of published cases, each by name: at most
    HOME_MAP_LIMIT. The places are asked for even when the partners fill the map (one row, dropped), so
    that the page runs the same queries whatever the data."""
    cities = City.objects.published().select_related("country").order_by("name", "slug")
    partners = list(cities.partners()[:HOME_MAP_LIMIT])
    remaining = HOME_MAP_LIMIT - len(partners)
    return partners + list(cities.case_places()[: max(remaining, 1)])[:remaining]


def home(request):
    # Read only when the page renders them: the page's body is a fragment cached per content generation
    # ({% fragment "home" %}), and on a warm fragment none of these queries runs.
    figures = SimpleLazyObject(lambda: list(KeyFigure.objects.all()))
    return render(
        request,
        "home.html",
        {
            "figures": figures,
            "figures_as_of": SimpleLazyObject(lambda: max((figure.as_of for figure in figures), default=None)),
            "sectors": SimpleLazyObject(Sector.objects.with_documented_counts),
            "indices": SimpleLazyObject(
                lambda: [index for index in with_trends(indices_with_results()) if index.trend]
            ),
            "newest_cases": SimpleLazyObject(
                lambda: Case.objects.published().for_listing().newest_first()[:NEWEST_CASES]
            ),
            "nav_section": "home",
            "map": SimpleLazyObject(lambda: map_points(home_map_cities())),
        },
    )


@never_cache
@require_safe
def healthz(request):
    """For monitors: 200 when the database answers, 503 when it does not (within DJANGO_DB_CONNECT_TIMEOUT).

    The cache is reported too, as "ok" or "degraded"; the site serves without it (uncached), so a
    degraded cache never fails the check.
    """
    cache_state = cache_health()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        body = {"status": "error", "database": str(error.__class__.__name__), "cache": cache_state}
        return JsonResponse(body, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "cache": cache_state})


def cache_health():
    """ "ok" when the cache answers, "degraded" when not (core.redis_cache skips a failed Redis at once)."""
    try:
        cache.get(HEALTH_CACHE_KEY)
    except Exception:
        return "degraded"
    return "ok"


@require_safe
def favicon(request):
    """The site's icon at the address browsers ask for when a page names none (the admin's pages)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_safe
def robots_txt(request):
    sitemap_url = absolute_url(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /*?*format=", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


# The error pages (handler400 ... handler500 in seoul_diplomacy/urls.py). Each is rendered without the
# request, so nothing a bad request controls (a disallowed Host, a flood of query fields, a path like
# //evil.example/) can make it fail or reach a link: no canonical or hreflang link, the language
# switcher to each language's home page (core.templatetags.site_tags). The language is the one
# LocaleMiddleware chose from the path.


def error_page(template_name, status, **context):
    body = loader.render_to_string(template_name, {"error_page": True, **context})
    return HttpResponse(body, status=status)


def bad_request(request, exception):
    return error_page("400.html", 400)


def permission_denied(request, exception):
    return error_page("403.html", 403)


def page_not_found(request, exception):
    """Says what was not found, as Django's own handler does: the path (escaped) and the reason."""
    message = exception.args[0] if getattr(exception, "args", None) else None
    reason = message if isinstance(message, str) else exception.__class__.__name__
    return error_page("404.html", 404, request_path=quote(request.path), exception=reason)


def server_error(request):
    return error_page("500.html", 500)


def login_lockout(request, original_response=None, credentials=None):
    """The answer to a locked-out admin login (django-axes' ``AXES_LOCKOUT_CALLABLE``): 429 with
    Retry-After (the cool-off, in seconds), in the site's design.

    The admin's addresses carry no language, so the page is in the language the browser prefers (its
    language cookie or Accept-Language) and says the same again in the other language.
    """
    cool_off = int(settings.AXES_COOLOFF_TIME.total_seconds())
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = error_page(
            "429.html",
            429,
            failure_limit=settings.AXES_FAILURE_LIMIT,
            minutes=math.ceil(cool_off / 60),
            other_languages=[code for code, _name in settings.LANGUAGES if code != language],
        )
    response["Retry-After"] = str(cool_off)
    response["Content-Language"] = language
    return response
