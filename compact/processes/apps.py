from django.apps import AppConfig


class ProcessesConfig(AppConfig):
    name = "compact.processes"
    label = "processes"

    def ready(self):
        from . import stages

        stages.register()
