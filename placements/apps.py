from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = "Parcours et mises à l'emploi"

    def ready(self):
        from partners import navigation, panels

        from . import access, counting  # noqa: F401 (access fills the registry of common.access)
        from .navigation import navigation as placements_navigation
        from .panels import object_panels

        navigation.register(placements_navigation)
        panels.register(object_panels)
        counting.connect()
