from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "compact.partnerships"
    label = "partnerships"
