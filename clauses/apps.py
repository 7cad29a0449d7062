from django.apps import AppConfig


class ClausesConfig(AppConfig):
    name = "clauses"
    verbose_name = "Clauses"

    def ready(self):
        from partners import navigation, panels

        from . import access  # noqa: F401 (fills the registry of common.access)
        from .navigation import navigation as clauses_navigation
        from .panels import lot_panels, organisation_panels

        navigation.register(clauses_navigation)
        panels.register(organisation_panels)
        panels.register(lot_panels)
