"""Who may see and change each kind of object of clauses (``common.access``): every view fetches its
object through one of these. The rules themselves stay in ``permissions.py``: an operation, its
contracts, lots, awards and invoiced amounts are changed by who may edit the operation."""

from common.access import register

from .models import Contract, InvoicedAmount, Lot, LotAward, Operation
from .permissions import can_edit_operation


def _awards(user):
    return LotAward.objects.filter(lot__in=Lot.objects.for_user(user))


def _invoiced_amounts(user):
    return InvoicedAmount.objects.filter(lot__in=Lot.objects.for_user(user))


OPERATIONS = register(Operation, visible=Operation.objects.for_user, may_change=can_edit_operation)
CONTRACTS = register(
    Contract,
    visible=Contract.objects.for_user,
    may_change=lambda user, contract: can_edit_operation(user, contract.operation),
)
LOTS = register(
    Lot, visible=Lot.objects.for_user, may_change=lambda user, lot: can_edit_operation(user, lot.contract.operation)
)
AWARDS = register(
    LotAward, visible=_awards, may_change=lambda user, award: can_edit_operation(user, award.lot.contract.operation)
)
INVOICED_AMOUNTS = register(
    InvoicedAmount,
    visible=_invoiced_amounts,
    may_change=lambda user, invoiced: can_edit_operation(user, invoiced.lot.contract.operation),
)
