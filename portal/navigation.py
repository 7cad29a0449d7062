from django.urls import reverse

from partners.navigation import NavItem
from placements.permissions import can_follow_participants, is_employer


def navigation(user):
    if not user.is_authenticated:
        return []
    if can_follow_participants(user):
        return [(9.5, NavItem("Validation", reverse("placements:validation_queue"), "placements:validation_queue"))]
    if is_employer(user):
        return [(6.5, NavItem("Déclarations", reverse("placements:portal_home"), "placements:portal_home"))]
    return []
