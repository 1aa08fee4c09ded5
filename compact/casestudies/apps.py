from django.apps import AppConfig


class CaseStudiesConfig(AppConfig):
    name = "compact.casestudies"
    label = "casestudies"
    verbose_name = "Case studies"

    def ready(self):
        from compact.core.startup import register_warmup
        from compact.partnerships.navigation import register_menu_item
        from compact.partnerships.privacy import register_personal_data
        from compact.processes.sections import register_section

        from . import demo, notifications, privacy
        from .sections import evidence_section

        notifications.register()
        demo.register()
        register_warmup(warm_up_readability)
        register_personal_data("casestudies", privacy.export, privacy.erase)
        register_section("casestudies.evidence", evidence_section, order=30)
        register_menu_item(
            "casestudies", "Case studies", "casestudy_library", perm="partnerships.view_partnership", order=50
        )


def warm_up_readability():
    """Load the CMU pronouncing dictionary (about a second) before a worker's first request."""
    from .readability import assess

    assess("Warming up the pronouncing dictionary. " * 8)
