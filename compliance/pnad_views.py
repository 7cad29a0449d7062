"""The PNAD/SPASER returns: the page (with its chart), its workbook and the request of its yearly
PDF. The Département's staff see the territory and every buyer; a buyer sees its own share."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from partners.tabular import WRITERS
from procurement.reconciliation import buyers
from reporting.models import Report
from reporting.report_services import request_report
from reporting.rules import Period
from reporting.scope import Scope

from . import pnad_report, pnad_workbook
from .permissions import can_build_returns_report
from .pnad_forms import PnadReportForm
from .pnad_scope import pnad_scope


def _year(request):
    value = request.GET.get("annee", "")
    return int(value) if value.isdigit() and len(value) == 4 else None


@login_required
@require_GET
def pnad_returns(request):
    scope = pnad_scope(request)
    report = pnad_report.build(_year(request), scope.siret, scope.label)
    context = {
        "scope": scope,
        "pnad": report,
        "chart": report.chart(),
        "buyer_choices": buyers() if scope.is_staff else scope.choices,
        "can_build": can_build_returns_report(request.user),
        "reports": list(Report.objects.filter(kind=Report.Kind.COMPLIANCE).select_related("created_by")[:5])
        if scope.is_staff
        else [],
    }
    return render(request, "compliance/pnad.html", context)


@login_required
@require_GET
def pnad_export(request):
    scope = pnad_scope(request)
    report = pnad_report.build(_year(request), scope.siret, scope.label)
    content_type, _ = WRITERS["xlsx"]
    response = HttpResponse(pnad_workbook.workbook(report), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{pnad_workbook.filename(report)}"'
    return response


@login_required
@require_POST
def pnad_report_request(request):
    pnad_scope(request)  # a 404 for whoever may not see the returns
    if not can_build_returns_report(request.user):
        raise PermissionDenied
    form = PnadReportForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("year", []):
            messages.error(request, error)
        return redirect("compliance:pnad")
    report = request_report(request.user, Report.Kind.COMPLIANCE, Period.year(form.cleaned_data["year"]), Scope())
    messages.success(request, "Le bilan PNAD et SPASER est en préparation : il sera prêt dans quelques instants.")
    return redirect("reporting:report_detail", pk=report.pk)
