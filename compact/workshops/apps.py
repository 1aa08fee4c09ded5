from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "compact.workshops"
    label = "workshops"
    verbose_name = "Workshops"

    def ready(self):
        from compact.partnerships.privacy import register_personal_data
        from compact.processes.dashboard import register_attention
        from compact.processes.sections import register_section

        from . import demo, notifications, privacy, stages
        from .dashboard import workshops_for_you
        from .sections import workshops_section

        stages.register()
        demo.register()
        notifications.register()
        register_personal_data("workshops", privacy.export, privacy.erase)
        register_attention(workshops_for_you)
        register_section("workshops.list", workshops_section, order=20)
