"""Who sees the returns the Département publishes (design.md, Roles; issue 18).

The territory's returns: administrators and department readers (who may also ask for the yearly
PDF, as for the other reports); a buyer sees its own PNAD share and nothing else; everybody else
gets a 404."""

from django.http import Http404

from partners.models import Organisation
from partners.permissions import load_memberships
from reporting.permissions import buyers_of, can_request_reports, can_view_department_dashboard


def can_view_returns(user):
    return can_view_department_dashboard(user)


def can_build_returns_report(user):
    return can_view_returns(user) and can_request_reports(user)


def own_buyers(user):
    """(SIRET, name) of the contracting authorities a buyer works for, by name."""
    organisations = Organisation.objects.filter(pk__in=buyers_of(user)).exclude(siret="").order_by("name", "pk")
    return list(organisations.values_list("siret", "name"))


def check_view_returns(request):
    load_memberships(request.user)
    if not can_view_returns(request.user):
        raise Http404("Page introuvable.")
