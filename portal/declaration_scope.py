"""Who declares for whom in the employer's portal, and the links between its pages.

Employers declare for their organisation (one of theirs, with ``?employeur=``, when they have
several); administrators act for the company or structure they choose with ``?employeur=``.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from partners.models import Organisation
from partners.permissions import has_role, is_administrator, load_memberships
from partners.roles import Role
from placements import declaration_rules as rules

EMPLOYER_KINDS = (Organisation.Kind.COMPANY, Organisation.Kind.INCLUSION_STRUCTURE)
EMPLOYER_PARAM = "employeur"
CORRECT_PARAM = "corriger"


def can_declare(user):
    """Employers declare for their organisation; administrators may act for any employer."""
    return has_role(user, Role.EMPLOYER) or is_administrator(user)


def own_organisations(user):
    return [m.organisation for m in user.memberships.all() if m.is_active and m.role == Role.EMPLOYER]


def employer_of(request):
    """The company or structure whose declarations the page shows.

    Employers: their organisation (one of theirs, with ``?employeur=``, when they have several);
    administrators: the one chosen with ``?employeur=``, None until they choose; others: 403.
    """
    user = request.user
    load_memberships(user)
    if not can_declare(user):
        raise PermissionDenied
    own = own_organisations(user)
    wanted = request.GET.get(EMPLOYER_PARAM, "")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        for organisation in own:
            if organisation.pk == int(wanted):
                return organisation
        if is_administrator(user):
            return get_object_or_404(Organisation.objects.filter(kind__in=EMPLOYER_KINDS), pk=int(wanted))
        raise Http404
    return own[0] if own else None


def employer_query(user, employer):
    """``?employeur=<pk>`` when the user could mean another organisation, else nothing."""
    if [organisation.pk for organisation in own_organisations(user)] == [employer.pk]:
        return ""
    return f"?{EMPLOYER_PARAM}={employer.pk}"


def home_url(user, employer):
    return reverse("placements:portal_home") + employer_query(user, employer)


def grid_url(user, employer, month, correcting=False):
    url = reverse("placements:declaration_grid", args=[month.year, f"{month.month:02d}"])
    query = employer_query(user, employer)
    if correcting:
        query = f"{query}&{CORRECT_PARAM}=1" if query else f"?{CORRECT_PARAM}=1"
    return url + query


def month_or_404(year, month):
    try:
        return date(year, month, 1)
    except ValueError as exc:
        raise Http404 from exc


def next_month(month):
    return rules.first_day(rules.last_day(month) + timedelta(days=1))
