from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "compact.drafting"
    label = "drafting"
    verbose_name = "Drafting and consultation"

    def ready(self):
        from compact.partnerships.navigation import register_menu_item
        from compact.processes.sections import register_section

        from . import demo, stages
        from .sections import document_section

        stages.register()
        demo.register()
        register_section("drafting.documents", document_section, order=40)
        register_menu_item("documents", "Documents", "document_list", perm="partnerships.view_partnership", order=55)
