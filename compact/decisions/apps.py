from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "compact.decisions"
    label = "decisions"

    def ready(self):
        from compact.partnerships.navigation import register_menu_item
        from compact.partnerships.privacy import register_personal_data
        from compact.processes.dashboard import register_attention
        from compact.processes.sections import register_section

        from . import demo, notifications, privacy, stages
        from .dashboard import votes_waiting
        from .views.sections import statements_section

        stages.register()
        notifications.register()
        demo.register()
        register_attention(votes_waiting)
        register_personal_data("decisions", privacy.export)
        register_menu_item("decisions", "Decisions", "decision_log", perm="partnerships.view_partnership", order=20)
        register_section("decisions.statements", statements_section, order=10)
