from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The kernel both content apps build on; no models. It connects the page cache to content changes."""

    name = "core"
    verbose_name = "Seoul City Diplomacy"

    def ready(self):
        from django.db.models.signals import post_migrate

        from core import cache, search

        cache.connect_signals()
        post_migrate.connect(search.fill_missing, dispatch_uid="core.search.fill_missing")
