from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps_views
from django.urls import include, path

from dataio import admin_views
from pages import sitemaps, views
from pages.sitemaps import SITEMAPS

# Language-neutral addresses: for machines and staff.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # Browsers ask for /favicon.ico wherever a page names no icon (the admin's pages): the site's icon.
    path("favicon.ico", views.favicon, name="favicon"),
    # An index of sections; each section in pages under the 50,000-address limit (pages/sitemaps.py).
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
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

# Error pages that a bad request cannot break (pages.views.error_page).
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
