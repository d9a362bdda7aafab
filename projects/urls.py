from django.contrib.admin.views.decorators import staff_member_required
from django.urls import path, register_converter

from projects import feeds, views


class CountryCodeConverter:
    """Two letters of either case: a lower-case code reaches the view, which redirects to upper case."""

    regex = "[A-Za-z]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CountryCodeConverter, "country_code")

app_name = "projects"

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/feed/", feeds.CaseFeed(), name="case_feed"),
    path("cases/<slug:slug>/", views.case_detail, name="case_detail"),
    path(
        "cases/<slug:slug>/preview/", staff_member_required(views.case_detail), {"preview": True}, name="case_preview"
    ),
    path("sectors/", views.sector_list, name="sector_list"),
    path("sectors/<slug:slug>/", views.sector_detail, name="sector_detail"),
    path("cities/", views.CityListView.as_view(), name="city_list"),
    path("cities/<slug:slug>/", views.city_detail, name="city_detail"),
    path("countries/", views.country_list, name="country_list"),
    path("countries/<country_code:code>/", views.country_detail, name="country_detail"),
    path(
        "cities/<slug:slug>/preview/", staff_member_required(views.city_detail), {"preview": True}, name="city_preview"
    ),
]
