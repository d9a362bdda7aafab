from django.contrib import admin
from django.urls import include, path

from seoul_diplomacy import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("", include("projects.urls")),
    path("", include("rankings.urls")),
    path("admin/", admin.site.urls),
]
