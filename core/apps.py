from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The kernel both content apps build on; no models. It connects the page cache to content changes."""

    name = "core"
    verbose_name = "Seoul City Diplomacy"

    def ready(self):
        from core import cache

        cache.connect_signals()
