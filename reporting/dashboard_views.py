"""The dashboards: the facilitator's home page and the Département's overview (aggregated).

Their figures come from ``dashboard_fragments``, kept ready in the cache between two changes of
the data; the year and scope forms are rendered for each request."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from common.dates import today
from partners.permissions import load_memberships
from placements.counting_notice import dashboard_notice

from . import dashboard_fragments, digest, tasks
from .dashboard_forms import DepartmentFilterForm, YearForm
from .permissions import can_view_department_dashboard, is_facilitator_or_admin, visible_lots


@require_GET
def facilitator_dashboard(request):
    """Home page of a facilitator: their territory's figures for a year, and what waits for them."""
    user = load_memberships(request.user)
    if not is_facilitator_or_admin(user):
        raise Http404
    form = YearForm(request.GET)
    on = today()
    fragment = dashboard_fragments.facilitator(user, form.chosen_year, visible_lots(user), on)
    return render(
        request,
        "reporting/dashboards/facilitator.html",
        {
            "form": form,
            "period": form.period,
            "fragment": fragment,
            "body": dashboard_fragments.html(fragment),
            "on": on,
            "week_start": on - digest.WEEK,
            "digest": dashboard_fragments.html(dashboard_fragments.facilitator_digest(user, on)),
            "digest_extra": digest.extra_sections(user, on, follows_version=False),
            "recounting": dashboard_notice(),
        },
    )


@require_GET
def department_dashboard(request):
    """The whole of Ain (or a sector, an EPCI, a buyer) for a year; never a person's identity."""
    user = load_memberships(request.user)
    if not can_view_department_dashboard(user):
        raise Http404
    form = DepartmentFilterForm(request.GET)
    scope = form.chosen_scope
    fragment = dashboard_fragments.department(form.chosen_year, scope, today(), tasks.refresh_department_later)
    return render(
        request,
        "reporting/dashboards/department.html",
        {
            "form": form,
            "scope": scope,
            "period": form.period,
            "fragment": fragment,
            "body": dashboard_fragments.html(fragment),
            "recounting": dashboard_notice(),
        },
    )
