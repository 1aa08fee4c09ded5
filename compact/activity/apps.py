from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "compact.activity"
    label = "activity"
    verbose_name = "Activity and audit log"
