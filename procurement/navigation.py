from django.urls import reverse

from partners.navigation import NavItem

from .permissions import can_change_decp, can_view_decp


def navigation(user):
    """« Marchés publics »: the review for facilitators, the reconciliation for department readers."""
    if not user.is_authenticated or not can_view_decp(user):
        return []
    if can_change_decp(user):
        return [(6.2, NavItem("DECP", reverse("procurement:review_list"), "procurement:review_list"))]
    return [(6.2, NavItem("DECP", reverse("procurement:reconciliation"), "procurement:reconciliation"))]
