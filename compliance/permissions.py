"""Who may see and change the Département's returns (design.md, Roles).

The OETH returns are the Département's own figures: administrators record them, department readers
read them (a write is a 403); everybody else (facilitators, employers, buyers, users without a role)
gets a 404, as if the pages did not exist."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partners.permissions import has_role, is_administrator, load_memberships
from partners.roles import Role


def can_view_oeth(user):
    return has_role(user, Role.ADMINISTRATOR, Role.DEPARTMENT_READER)


def can_change_oeth(user):
    return is_administrator(user)


def check_view(request):
    """A page of the returns: a 404 for whoever may not see it."""
    load_memberships(request.user)
    if not can_view_oeth(request.user):
        raise Http404("Page introuvable.")


def check_change(request):
    """A write on the returns: a 404 for outsiders, a 403 for readers."""
    check_view(request)
    if not can_change_oeth(request.user):
        raise PermissionDenied
