"""Who may see and change each kind of object of compliance (``common.access``): the OETH purchases
and the TIH suppliers. Administrators and department readers see them, administrators change them
(``permissions.py`` keeps the rules); everybody else gets a 404."""

from common.access import register
from partners.permissions import load_memberships

from .models import OethPurchase, TihSupplier
from .permissions import can_change_oeth, can_view_oeth


def _visible_to_oeth_readers(model):
    def visible(user):
        load_memberships(user)  # as ``permissions.check_view``: the roles are read once per request
        return model.objects.all() if can_view_oeth(user) else model.objects.none()

    return visible


def _may_change_oeth(user, obj):
    return can_change_oeth(user)


OETH_PURCHASES = register(OethPurchase, visible=_visible_to_oeth_readers(OethPurchase), may_change=_may_change_oeth)
TIH_SUPPLIERS = register(TihSupplier, visible=_visible_to_oeth_readers(TihSupplier), may_change=_may_change_oeth)
