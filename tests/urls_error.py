"""A URLconf with a view that fails, to see the 500 page."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("A test failure")


urlpatterns = [path("boom/", boom), path("", include("seoul_diplomacy.urls"))]
