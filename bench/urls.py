"""The site's URLs plus a bare Django view, for bench/latency.py only (never the site's own urls)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from seoul_diplomacy import urls as site_urls

BARE_URL = "/bench/bare/"
EMPTY_PAGE_URL = "/bench/empty-page/"


def bare(request):
    """The floor: a request through the same middleware, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


def empty_page(request):
    """The site's frame alone: base.html (head, header, menu, footer) with nothing in it, no query."""
    return render(request, "base.html", {"nav_section": "cases"})


urlpatterns = [
    path(BARE_URL.strip("/") + "/", bare),
    path(EMPTY_PAGE_URL.strip("/") + "/", empty_page),
    *site_urls.urlpatterns,  # spliced, not include()d: the site's i18n_patterns must stay at the root
]
