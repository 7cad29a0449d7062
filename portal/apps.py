from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The company portal: monthly hours declarations, their proofs, imports and reminders, and
    their validation by the facilitator. Its models stay in ``placements`` (see the README)."""

    name = "portal"
    verbose_name = "Portail des entreprises"

    def ready(self):
        from partners import navigation

        from . import access  # noqa: F401 (fills the registry of common.access)
        from .navigation import navigation as portal_navigation

        navigation.register(portal_navigation)
