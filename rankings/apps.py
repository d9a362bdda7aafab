from django.apps import AppConfig


class RankingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rankings"

    def ready(self):
        from rankings import search_text

        search_text.register()
