"""What an organisation's page shows of clauses: a buyer's operations, the lots a company won; and on a
lot's page, the inclusion structures near it (loaded by htmx after the page, see ``sourcing_views``)."""

from partners.models import Organisation
from partners.panels import Panel

from .models import Lot, Operation
from .permissions import can_see_sourcing
from .progress import progress_by


def organisation_panels(organisation, user):
    if not isinstance(organisation, Organisation):
        return []
    panels = []
    if organisation.kind in (Organisation.Kind.CONTRACTING_AUTHORITY, Organisation.Kind.DEPARTMENT):
        operations = list(Operation.objects.for_user(user).filter(buyer=organisation).select_related("commune"))
        if operations:
            lots = Lot.objects.for_user(user).with_progress_data().filter(contract__operation__in=operations)
            progress = progress_by(lots, lambda lot: lot.contract.operation_id)
            rows = [(operation, progress.get(operation.pk)) for operation in operations]
            panels.append(Panel("Opérations de ce donneur d'ordre", "clauses/panels/operations.html", {"rows": rows}))
    if organisation.kind in (Organisation.Kind.COMPANY, Organisation.Kind.INCLUSION_STRUCTURE):
        lots = list(
            Lot.objects.for_user(user)
            .with_progress_data()
            .filter(awards__company=organisation)
            .prefetch_related("awards")
            .order_by("-start_date")
        )
        if lots:
            rows = [
                (lot, lot.progress(), next(a for a in lot.awards.all() if a.company_id == organisation.pk))
                for lot in lots
            ]
            panels.append(Panel("Lots attribués", "clauses/panels/lots.html", {"rows": rows}))
    return panels


def lot_panels(lot, user):
    """The sourcing panel: only a placeholder here, so that the lot page never waits for les emplois."""
    if not isinstance(lot, Lot) or not can_see_sourcing(user):
        return []
    return [
        Panel("Structures d'insertion et du handicap à proximité", "clauses/panels/sourcing_loader.html", {"lot": lot})
    ]
