from django.urls import reverse

from partners.navigation import NavItem

from .permissions import can_view_oeth


def navigation(user):
    """« OETH »: the year's deduction table, for administrators and department readers."""
    if not user.is_authenticated or not can_view_oeth(user):
        return []
    return [(47, NavItem("OETH", reverse("compliance:oeth_index"), "compliance:oeth_year"))]
