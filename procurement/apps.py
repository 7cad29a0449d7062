from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = "Données de la commande publique (DECP)"

    def ready(self):
        from partners import navigation

        from . import access  # noqa: F401 - the access rules of the DECP imports and published contracts
        from .navigation import navigation as procurement_navigation

        navigation.register(procurement_navigation)
