from django.apps import AppConfig


class DataioConfig(AppConfig):
    """Data maintenance: fixture import and export, consistency checks, synthetic data, the open-data pages."""

    name = "dataio"
