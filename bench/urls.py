"""The site's URLs plus a bare Django view, for bench/latency.py only (never the site's own urls)."""

from django.http import HttpResponse
from django.urls import path

from seoul_diplomacy import urls as site_urls

BARE_URL = "/bench/bare/"


def bare(request):
    """The floor: a request through the same middleware, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path(BARE_URL.strip("/") + "/", bare),
    *site_urls.urlpatterns,  # spliced, not include()d: the site's i18n_patterns must stay at the root
]
