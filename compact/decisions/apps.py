from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "compact.decisions"
    label = "decisions"

    def ready(self):
        from . import notifications, stages

        stages.register()
        notifications.register()

        from compact.partnerships.navigation import register_menu_item
        from compact.processes.sections import register_section

        from .views.sections import statements_section

        register_menu_item("decisions", "Decisions", "decision_log", perm="partnerships.view_partnership", order=20)
        register_section("decisions.statements", statements_section, order=10)
