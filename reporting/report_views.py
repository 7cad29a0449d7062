"""Report pages: the list with the request form, the detail whose progress refreshes itself (htmx),
the download. Reports come through ``access.REPORTS`` (``Report.objects.for_user``): outsiders get
404; users who may read but not ask (buyers) get 403 on every write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.dates import today
from partners.permissions import load_memberships

from .access import REPORTS
from .permissions import can_request_reports, can_view_figures
from .report_forms import ReportRequestForm
from .report_services import request_report, retry_report
from .report_sweep import fail_if_stale


@login_required
@require_http_methods(["GET", "POST"])
def report_list(request):
    user = request.user
    load_memberships(user)
    if not can_view_figures(user):
        raise Http404  # employers and users without a role: outsiders, as on the other figures pages
    can_request = can_request_reports(user)
    form = None
    if request.method == "POST":
        if not can_request:
            raise PermissionDenied
        form = ReportRequestForm(request.POST, user=user, today=today())
        if form.is_valid():
            report = request_report(user, form.cleaned_data["kind"], form.period, form.scope)
            messages.success(request, "Votre bilan est en préparation : il sera prêt dans quelques instants.")
            return redirect("reporting:report_detail", pk=report.pk)
    elif can_request:
        form = ReportRequestForm(user=user, today=today())
    context = {"reports": list(REPORTS.queryset(user)), "form": form, "can_request": can_request}
    return render(request, "reporting/reports/report_list.html", context)


@login_required
@require_GET
def report_detail(request, pk):
    report = REPORTS.to_view(request, pk)
    fail_if_stale(report)
    context = {"report": report, "can_retry": REPORTS.may_change(request.user, report)}
    return render(request, "reporting/reports/report_detail.html", context)


@login_required
@require_GET
def report_status(request, pk):
    """The progress fragment the detail page polls every 2 seconds while the report is pending."""
    report = REPORTS.to_view(request, pk)
    fail_if_stale(report)  # a dead worker's report shows its failure and its "Relancer" button
    context = {"report": report, "can_retry": REPORTS.may_change(request.user, report)}
    return render(request, "reporting/reports/_status.html", context)


@login_required
@require_POST
def report_retry(request, pk):
    report = REPORTS.to_change(request, pk)
    if report.is_failed:
        retry_report(report)
        messages.success(request, "Le bilan est relancé.")
    return redirect("reporting:report_detail", pk=report.pk)


@login_required
@require_GET
def report_download(request, pk):
    report = REPORTS.to_view(request, pk)
    if not report.is_done:
        raise Http404("Ce bilan n'est pas prêt.")
    try:
        handle = report.file.storage.open(report.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("Le fichier de ce bilan est introuvable.") from exc
    return FileResponse(handle, as_attachment=True, filename=report.filename, content_type="application/pdf")
