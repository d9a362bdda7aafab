from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from dataio import admin_views
from pages import views
from pages.sitemaps import SITEMAPS

# Language-neutral addresses: for machines and staff.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # Browsers ask for /favicon.ico wherever a page names no icon (the admin's pages): the site's icon.
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/consistency/", admin_views.consistency_report, name="consistency_report"),
    path("admin/", admin.site.urls),
]

# The public site: English at the unprefixed paths, Korean under /ko/.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("dataio.urls")),
    path("", include("projects.urls")),
    path("", include("rankings.urls")),
    path("", include("search.urls")),
    prefix_default_language=False,
)
