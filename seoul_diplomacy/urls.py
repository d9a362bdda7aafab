from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from seoul_diplomacy import views
from seoul_diplomacy.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("data/", views.data_page, name="data"),
    path("data/<slug:table>.csv", views.data_table, {"fmt": "csv"}, name="data_table_csv"),
    path("data/<slug:table>.json", views.data_table, {"fmt": "json"}, name="data_table_json"),
    path("data/fixtures/<slug:name>.json", views.fixture_file, name="data_fixture"),
    path("", include("projects.urls")),
    path("", include("rankings.urls")),
    path("admin/", admin.site.urls),
]
