"""Who sees the returns the Département publishes (design.md, Roles; issue 18).

The territory's PNAD returns: administrators and department readers (who may also ask for the
yearly PDF, as for the other reports); a buyer sees its own PNAD share and nothing else; everybody
else gets a 404.

The OETH returns are the Département's own figures: administrators record them, department readers
read them (a write is a 403); everybody else (facilitators, employers, buyers, users without a role)
gets a 404, as if the pages did not exist."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partners.models import Organisation
from partners.permissions import is_administrator, load_memberships
from reporting.permissions import buyers_of, can_request_reports, can_view_department_dashboard


def can_view_returns(user):
    return can_view_department_dashboard(user)


def can_build_returns_report(user):
    return can_view_returns(user) and can_request_reports(user)


def own_buyers(user):
    """(SIRET, name) of the contracting authorities a buyer works for, by name."""
    organisations = Organisation.objects.filter(pk__in=buyers_of(user)).exclude(siret="").order_by("name", "pk")
    return list(organisations.values_list("siret", "name"))


# OETH ----------------------------------------------------------------------------------------------


def can_view_oeth(user):
    return can_view_returns(user)  # the same people: administrators and department readers


def can_change_oeth(user):
    return is_administrator(user)


def check_view(request):
    """An OETH page: a 404 for whoever may not see it."""
    load_memberships(request.user)
    if not can_view_oeth(request.user):
        raise Http404("Page introuvable.")


def check_change(request):
    """An OETH write: a 404 for outsiders, a 403 for readers."""
    check_view(request)
    if not can_change_oeth(request.user):
        raise PermissionDenied
