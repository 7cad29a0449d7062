"""What an organisation's page shows of placements: the people an employer employs on lots,
and the people an employment service prescribed."""

from clauses.models import Lot
from clauses.permissions import can_edit_operation
from partners.models import Organisation
from partners.panels import Panel

from .models import JobOffer, Participant, Placement
from .permissions import can_follow_participants


def object_panels(obj, user):
    if isinstance(obj, Organisation):
        return organisation_panels(obj, user)
    if isinstance(obj, Lot):
        return lot_panels(obj, user)
    return []


def lot_panels(lot, user):
    """Offers and people on a lot, for those who may see them (never buyers or readers)."""
    offers = list(JobOffer.objects.for_user(user).filter(lot=lot).select_related("employer").order_by("-start_date"))
    placements = list(
        Placement.objects.for_user(user)
        .filter(lot=lot)
        .select_related("participant", "employer")
        .order_by("-start_date")
    )
    can_create = can_follow_participants(user) and can_edit_operation(user, lot.contract.operation)
    if not (offers or placements or can_create):
        return []
    context = {"lot": lot, "offers": offers, "placements": placements, "can_create": can_create}
    return [Panel("Recrutement et personnes sur ce lot", "placements/panels/lot.html", context)]


def organisation_panels(organisation, user):
    panels = []
    if organisation.kind in (Organisation.Kind.COMPANY, Organisation.Kind.INCLUSION_STRUCTURE):
        placements = list(
            Placement.objects.for_user(user)
            .filter(employer=organisation)
            .select_related("participant", "lot__contract__operation")
            .order_by("-start_date")[:50]
        )
        if placements:
            panels.append(Panel("Mises à l'emploi", "placements/panels/placements.html", {"placements": placements}))
    if organisation.kind == Organisation.Kind.EMPLOYMENT_SERVICE:
        participants = list(Participant.objects.for_user(user).filter(prescriber=organisation)[:50])
        if participants:
            panels.append(
                Panel("Personnes orientées", "placements/panels/participants.html", {"participants": participants})
            )
    return panels
