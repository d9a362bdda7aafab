"""The site's URLs plus a bare Django view, for bench/latency.py only (never the site's own urls)."""

from django.http import HttpResponse
from django.urls import include, path

BARE_URL = "/bench/bare/"


def bare(request):
    """The floor: a request through the same middleware, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path(BARE_URL.strip("/") + "/", bare),
    path("", include("seoul_diplomacy.urls")),
]
