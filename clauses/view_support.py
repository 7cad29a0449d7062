"""What the views of operations, contracts and lots share: the fetches, the edit check, the filter form."""

from partners.models import Epci, Organisation, Sector

from .access import CONTRACTS, LOTS, OPERATIONS
from .forms import LotFilterForm
from .models import Lot

PAGE_SIZE = 50
CONTRACT_RELATED = ("operation__buyer", "operation__commune")
LOT_RELATED = ("trade", "contract__operation__commune", "contract__operation__facilitation_body")


def require_edit(request, operation):
    """403 unless the user may change ``operation`` (and so its contracts and lots)."""
    OPERATIONS.require_change(request.user, operation)


def visible_lots(user):
    return Lot.objects.for_user(user).with_progress_data()


def contract_or_404(request, pk):
    return CONTRACTS.to_view(request, pk, refine=lambda contracts: contracts.select_related(*CONTRACT_RELATED))


def lot_or_404(request, pk):
    return LOTS.to_view(request, pk, refine=lambda lots: lots.with_progress_data().select_related(*LOT_RELATED))


def filter_form(request, operations):
    buyers = Organisation.objects.filter(pk__in=operations.values("buyer")).order_by("name")
    return LotFilterForm(
        request.GET or None,
        buyers=buyers,
        epcis=list(Epci.objects.order_by("name")),
        sectors=list(Sector.objects.prefetch_related("epcis").order_by("name")),
    )
