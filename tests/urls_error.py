"""The site's URLconf plus a view that fails, to see the 500 page."""

from django.urls import path

from seoul_diplomacy.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("A test failure")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
