from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "compact.decisions"
    label = "decisions"

    def ready(self):
        from . import stages

        stages.register()
