"""Whose PNAD share a page shows: the territory or any buyer for the Département's staff, a
buyer's own SIRET for a buyer (another SIRET is a 404, as if it did not exist)."""

from dataclasses import dataclass

from django.http import Http404

from partners.permissions import load_memberships
from procurement.reconciliation import buyer_name

from .permissions import can_view_returns, own_buyers


@dataclass(frozen=True)
class PnadScope:
    siret: str  # "" for the whole territory
    label: str
    choices: list  # (SIRET, name) the user may choose; "" (the territory) first for the staff
    is_staff: bool


def pnad_scope(request):
    """The scope asked for by ``?acheteur=`` and allowed to the user; Http404 otherwise."""
    user = load_memberships(request.user)
    asked = request.GET.get("acheteur", "").strip()
    if can_view_returns(user):
        if not asked:
            return PnadScope("", "Tous les acheteurs", [], True)
        name = buyer_name(asked)
        if name is None:
            raise Http404("Aucun marché publié pour ce SIRET.")
        return PnadScope(asked, name, [], True)
    own = own_buyers(user)
    if not own:
        raise Http404("Page introuvable.")
    names = dict(own)
    siret = asked or own[0][0]
    if siret not in names:
        raise Http404("Page introuvable.")
    return PnadScope(siret, names[siret], own, False)
