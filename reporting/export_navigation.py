"""The "Exports" entry of the main navigation, for those who may read the figures.

Registered from ``ReportingConfig.ready()``::

    from partners import navigation
    from .export_navigation import navigation as export_navigation
    navigation.register(export_navigation)
"""

from django.urls import reverse

from partners.navigation import NavItem

from .permissions import can_view_figures

POSITION = 45  # after the partners' entries (Accueil 0 … Couverture 30) and the dashboards


def navigation(user):
    if not user.is_authenticated or not can_view_figures(user):
        return []
    return [(POSITION, NavItem("Exports", reverse("reporting:export_index"), "reporting:export_index"))]
