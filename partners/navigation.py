"""The navigation of each role: which entries a user sees in the header."""

from dataclasses import dataclass

from django.urls import reverse

from .permissions import (
    can_use_directory,
    can_view_actions,
    can_view_coverage,
)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    url_name: str


# Apps further down the import chain (clauses, placements, reporting) add their entries here
# from their AppConfig.ready(): a provider takes a user and returns (position, NavItem) pairs.
_providers = []


def register(provider):
    _providers.append(provider)
    return provider


def items_for(user):
    """Entries of the main navigation for this user, in display order."""
    if not user.is_authenticated:
        return []
    items = [NavItem("Accueil", reverse("home"), "home")]
    if can_use_directory(user):
        items.append(NavItem("Partenaires", reverse("partners:organisation_list"), "partners:organisation_list"))
    if can_view_actions(user):
        items.append(NavItem("Actions", reverse("partners:action_list"), "partners:action_list"))
    if can_view_coverage(user):
        items.append(NavItem("Couverture", reverse("partners:coverage"), "partners:coverage"))
    positioned = [(10 * index, item) for index, item in enumerate(items)]
    for provider in _providers:
        positioned.extend(provider(user))
    return [item for _, item in sorted(positioned, key=lambda pair: pair[0])]
