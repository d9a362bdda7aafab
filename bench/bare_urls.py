"""The bare view's one URL (bench/bare_settings.py)."""

from django.http import HttpResponse
from django.urls import path


def bare(request, rest=""):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", bare), path("<path:rest>", bare)]
