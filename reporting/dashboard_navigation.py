"""The Département's dashboard in the main navigation (department readers find it at home)."""

from django.urls import reverse

from partners.navigation import NavItem
from partners.roles import Role

from .permissions import can_view_department_dashboard


def navigation(user):
    if not user.is_authenticated or user.role == Role.DEPARTMENT_READER:
        return []
    if not can_view_department_dashboard(user):
        return []
    return [(44, NavItem("Pilotage", reverse("reporting:department_dashboard"), "reporting:department_dashboard"))]
