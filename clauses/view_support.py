"""What the views of operations, contracts and lots share: the fetches, the edit check, the filter form."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from partners.models import Epci, Organisation, Sector

from .forms import LotFilterForm
from .models import Contract, Lot
from .permissions import can_edit_operation

PAGE_SIZE = 50


def require_edit(request, operation):
    if not can_edit_operation(request.user, operation):
        raise PermissionDenied


def visible_lots(user):
    return Lot.objects.for_user(user).with_progress_data()


def contract_or_404(request, pk):
    contracts = Contract.objects.for_user(request.user).select_related("operation__buyer", "operation__commune")
    return get_object_or_404(contracts, pk=pk)


def lot_or_404(request, pk):
    lots = (
        Lot.objects.for_user(request.user)
        .with_progress_data()
        .select_related("trade", "contract__operation__commune", "contract__operation__facilitation_body")
    )
    return get_object_or_404(lots, pk=pk)


def filter_form(request, operations):
    buyers = Organisation.objects.filter(pk__in=operations.values("buyer")).order_by("name")
    return LotFilterForm(
        request.GET or None,
        buyers=buyers,
        epcis=list(Epci.objects.order_by("name")),
        sectors=list(Sector.objects.prefetch_related("epcis").order_by("name")),
    )
