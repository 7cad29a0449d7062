"""Who may see and change each kind of object of procurement (``common.access``): the DECP imports
and the published contracts under review. Department staff see them, facilitators and
administrators change them (``permissions.py`` keeps the rules); everybody else gets a 404."""

from common.access import register
from partners.permissions import load_memberships

from .models import DecpImport, PublishedContract
from .permissions import can_change_decp, can_view_decp


def _visible_to_decp_readers(model):
    def visible(user):
        load_memberships(user)  # as ``permissions.check_view``: the roles are read once per request
        return model.objects.all() if can_view_decp(user) else model.objects.none()

    return visible


def _may_change_decp(user, obj):
    return can_change_decp(user)


IMPORTS = register(DecpImport, visible=_visible_to_decp_readers(DecpImport), may_change=_may_change_decp)
PUBLISHED_CONTRACTS = register(
    PublishedContract, visible=_visible_to_decp_readers(PublishedContract), may_change=_may_change_decp
)
