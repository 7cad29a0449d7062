from django.urls import reverse

from partners.navigation import NavItem

from .permissions import can_follow_participants, is_employer


def navigation(user):
    if not user.is_authenticated:
        return []
    items = []
    if can_follow_participants(user):
        items.append(
            (7, NavItem("Participants", reverse("placements:participant_list"), "placements:participant_list"))
        )
        items.append((8, NavItem("Recrutement", reverse("placements:offer_list"), "placements:offer_list")))
        items.append((9, NavItem("Suivis", reverse("placements:follow_up_list"), "placements:follow_up_list")))
    elif is_employer(user):
        items.append(
            (7, NavItem("Candidatures", reverse("placements:employer_candidacies"), "placements:employer_candidacies"))
        )
    return items
