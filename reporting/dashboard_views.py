"""The dashboards: the facilitator's home page and the Département's overview (aggregated)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clauses.models import today
from clauses.progress import home_summary
from partners.permissions import load_memberships

from . import charts, indicators
from .dashboard_forms import DepartmentFilterForm, YearForm
from .permissions import can_view_department_dashboard, is_facilitator_or_admin, visible_lots
from .workload import workload

YEARS_SHOWN = 4


def hours_charts(figures):
    """The three charts both dashboards and the reports show."""
    return {
        "by_month": charts.column_chart(
            [(row.label, row.validated) for row in figures.by_month],
            title=f"Heures validées par mois, {figures.period.label}",
            reference=[row.required for row in figures.by_month],
            series_label="Heures validées",
            reference_label="Heures exigées au prorata",
        ),
        "by_activity": charts.bar_chart(
            [(row.label, row.validated) for row in figures.by_activity],
            title="Heures validées par secteur d'activité",
        ),
        "by_mode": charts.share_chart(
            [(row.label, row.validated) for row in figures.by_mode],
            title="Heures validées par mode de réalisation",
            unit="h",
        ),
    }


@require_GET
def facilitator_dashboard(request):
    """Home page of a facilitator: their territory's figures for a year, and what waits for them."""
    user = load_memberships(request.user)
    if not is_facilitator_or_admin(user):
        raise Http404
    form = YearForm(request.GET)
    on = today()
    lots = visible_lots(user)
    figures = indicators.compute(form.period, lots=lots, on=on)
    return render(
        request,
        "reporting/dashboards/facilitator.html",
        {
            "form": form,
            "figures": figures,
            "overall": home_summary(user, on),
            "work": workload(user, on),
            "charts": hours_charts(figures),
        },
    )


@require_GET
def department_dashboard(request):
    """The whole of Ain (or a sector, an EPCI, a buyer) for a year; never a person's identity."""
    user = load_memberships(request.user)
    if not can_view_department_dashboard(user):
        raise Http404
    form = DepartmentFilterForm(request.GET)
    on = today()
    scope = form.chosen_scope
    figures = indicators.compute(form.period, scope, on=on)
    years = list(range(form.chosen_year - YEARS_SHOWN + 1, form.chosen_year + 1))
    return render(
        request,
        "reporting/dashboards/department.html",
        {
            "form": form,
            "figures": figures,
            "years": indicators.yearly(years, scope, on=on),
            "charts": hours_charts(figures),
        },
    )
