from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The kernel both content apps build on. Its one model is the revision (core.models); it connects the page
    cache to content changes and names the admin site."""

    name = "core"
    verbose_name = "Seoul City Diplomacy"

    def ready(self):
        from django.contrib import admin
        from django.db.models.signals import post_migrate
        from django.utils.translation import gettext_lazy as _

        from core import cache, search

        cache.connect_signals()
        post_migrate.connect(search.fill_missing, dispatch_uid="core.search.fill_missing")
        # The admin says whose it is, in its header and in every page title.
        admin.site.site_header = _("Seoul City Diplomacy: staff")
        admin.site.site_title = _("Seoul City Diplomacy staff")
        admin.site.index_title = _("Content and review")
