from django.contrib.admin.views.decorators import staff_member_required
from django.urls import path, re_path

from projects import views

app_name = "projects"

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/<slug:slug>/", views.case_detail, name="case_detail"),
    path(
        "cases/<slug:slug>/preview/", staff_member_required(views.case_detail), {"preview": True}, name="case_preview"
    ),
    path("sectors/", views.sector_list, name="sector_list"),
    path("sectors/<slug:slug>/", views.sector_detail, name="sector_detail"),
    path("cities/", views.CityListView.as_view(), name="city_list"),
    path("cities/<slug:slug>/", views.city_detail, name="city_detail"),
    path("countries/", views.country_list, name="country_list"),
    # Two letters of either case: a lower-case code redirects to the upper-case address, anything else is a 404.
    re_path(r"^countries/(?P<code>[A-Za-z]{2})/$", views.country_detail, name="country_detail"),
    path(
        "cities/<slug:slug>/preview/", staff_member_required(views.city_detail), {"preview": True}, name="city_preview"
    ),
]
