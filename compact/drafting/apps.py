from django.apps import AppConfig


class DraftingConfig(AppConfig):
    name = "compact.drafting"
    label = "drafting"
    verbose_name = "Drafting and consultation"

    def ready(self):
        from compact.partnerships.navigation import register_menu_item
        from compact.processes.sections import register_section

        from . import demo, notifications, stages
        from .sections import document_section

        stages.register()
        notifications.register()
        demo.register()
        register_section("drafting.documents", document_section, order=40)
        register_menu_item("documents", "Documents", "document_list", perm="partnerships.view_partnership", order=55)

        # "Your data": comments, amendments, consultation responses; erasure blanks names and emails.
        from compact.partnerships.privacy import register_personal_data

        from . import privacy

        register_personal_data("drafting", privacy.export, privacy.erase)

        # Where ideas, themes and case studies went: the commitments linked to them (SourceLink).
        from compact.casestudies.evidence import register_evidence_source
        from compact.workshops.usage import register_usage_source

        from .selectors_sources import commitment_supports, commitment_usages

        register_usage_source(commitment_usages)
        register_evidence_source(commitment_supports)
