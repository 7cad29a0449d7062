"""« Achats responsables » in a buyer's navigation (its own PNAD share). The Département's staff
reach the PNAD returns from the tabs of the Département's dashboard (« Pilotage »), not from the
menu, nor the OETH table and the AVE return: they are the dashboard's other tabs."""

from django.urls import reverse

from partners.navigation import NavItem
from partners.permissions import has_role
from partners.roles import Role

from .permissions import can_view_returns


def navigation(user):
    if not user.is_authenticated or can_view_returns(user) or not has_role(user, Role.BUYER):
        return []  # no query: the memberships are loaded
    return [(47, NavItem("Achats responsables", reverse("compliance:pnad"), "compliance:pnad"))]
