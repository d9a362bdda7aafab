"""The site's URLconf plus a view that fails, to see the 500 page."""

from django.urls import path

from seoul_diplomacy.urls import handler400, handler403, handler404, handler500  # noqa: F401
from seoul_diplomacy.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("A test failure")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
