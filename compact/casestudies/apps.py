from django.apps import AppConfig


class CaseStudiesConfig(AppConfig):
    name = "compact.casestudies"
    label = "casestudies"
    verbose_name = "Case studies"

    def ready(self):
        from . import notifications

        notifications.register()
