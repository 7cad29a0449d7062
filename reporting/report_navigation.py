from django.urls import reverse

from partners.navigation import NavItem

from .permissions import can_view_figures


def navigation(user):
    """« Bilans » for everyone who reads figures (not employers)."""
    if not user.is_authenticated or not can_view_figures(user):
        return []
    return [(46, NavItem("Bilans", reverse("reporting:report_list"), "reporting:report_list"))]
