"""Who may see and change each kind of object of partners (``common.access``): every view fetches
its object through one of these. The rules themselves stay in ``permissions.py``."""

from common.access import register

from .actions import actions_for_user
from .models import AwarenessAction, Contact, CoverageRule, Organisation
from .permissions import can_edit_actions, can_edit_coverage, can_use_directory, can_view_coverage


def _directory_contacts(user):
    """The contacts of the organisations the user may open in the directory."""
    return Contact.objects.filter(organisation__in=Organisation.objects.for_user(user))


def _coverage_rules(user):
    return CoverageRule.objects.all() if can_view_coverage(user) else CoverageRule.objects.none()


ORGANISATIONS = register(
    Organisation, visible=Organisation.objects.for_user, may_change=lambda user, organisation: can_use_directory(user)
)
CONTACTS = register(Contact, visible=_directory_contacts, may_change=lambda user, contact: can_use_directory(user))
COVERAGE_RULES = register(CoverageRule, visible=_coverage_rules, may_change=lambda user, rule: can_edit_coverage(user))
ACTIONS = register(AwarenessAction, visible=actions_for_user, may_change=lambda user, action: can_edit_actions(user))
