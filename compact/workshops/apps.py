from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "compact.workshops"
    label = "workshops"
    verbose_name = "Workshops"

    def ready(self):
        from . import stages

        stages.register()
