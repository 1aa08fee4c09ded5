from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "compact.geography"
    label = "geography"
