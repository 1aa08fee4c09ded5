from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "compact.organisations"
    label = "organisations"
