from django.apps import AppConfig


class ListingConfig(AppConfig):
    """The filtered-list machinery: facets, paging, filter forms and their widget templates, exports."""

    name = "listing"
