"""The AVE yearly return: the page (an HTML table) and its workbook. GET only; the Département's
reader and the administrator only, anybody else gets a 404."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from partners.permissions import load_memberships
from reporting.permissions import visible_lots

from . import ave_export, ave_return
from .ave_forms import AveFilterForm
from .permissions import can_view_returns


def _report(request):
    """The filter form and the return it asks for, for a user allowed to read it (else 404)."""
    user = load_memberships(request.user)
    if not can_view_returns(user):
        raise Http404("Page introuvable.")
    form = AveFilterForm(request.GET)
    body = form.chosen_body
    bodies = [body] if body is not None else None
    return form, ave_return.build(form.chosen_year, lots=visible_lots(user), bodies=bodies)


@require_GET
def ave_return_page(request):
    form, report = _report(request)
    export_url = reverse("compliance:ave_export") + "?" + urlencode(form.query_params())
    context = {"form": form, "report": report, "export_url": export_url, "not_covered": ave_return.NOT_COVERED}
    return render(request, "compliance/ave_return.html", context)


@require_GET
def ave_export_download(request):
    form, report = _report(request)
    response = HttpResponse(ave_export.as_xlsx(report), content_type=ave_export.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{ave_export.filename(report, form.chosen_body)}"'
    response["Cache-Control"] = "private, no-store"
    return response
