"""Who may see and act on the DECP data (design.md, Roles).

The DECP is public, but the review is the facilitators' work: facilitators and administrators
import, review and reconcile; department readers read the imports and the reconciliation (a
write is a 403); employers and buyers do not see these pages (404)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partners.permissions import has_role, is_department_staff, is_facilitator, load_memberships
from partners.roles import Role


def can_view_decp(user):
    return is_department_staff(user)


def can_change_decp(user):
    return is_facilitator(user)


def is_read_only_on_decp(user):
    return has_role(user, Role.DEPARTMENT_READER) and not can_change_decp(user)


def check_view(request):
    """A page of the DECP: a 404 for whoever may not see it."""
    load_memberships(request.user)
    if not can_view_decp(request.user):
        raise Http404("Page introuvable.")


def check_change(request):
    """A write on the DECP: a 404 for outsiders, a 403 for readers."""
    check_view(request)
    if not can_change_decp(request.user):
        raise PermissionDenied
