from django.apps import AppConfig


class SeoulDiplomacyConfig(AppConfig):
    """The project package as an app, with no models: it connects the page cache to content changes."""

    name = "seoul_diplomacy"
    verbose_name = "Seoul City Diplomacy"

    def ready(self):
        from seoul_diplomacy import cache

        cache.connect_signals()
