"""The DECP imports: the list with the upload form and the API button, the page of one import
whose progress refreshes itself (htmx) with its rejected rows. Facilitators and administrators
import; department readers read (a write is a 403); everybody else gets a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from . import decp_intake, decp_requests
from .access import IMPORTS
from .decp_sweep import fail_if_stale
from .intake_forms import DecpUploadForm
from .models import DecpImport
from .permissions import can_change_decp, check_change, check_view

LISTED_IMPORTS = 30
REJECTED_PAGE_SIZE = 50


def _with_author(imports):
    return imports.select_related("created_by")


@require_http_methods(["GET", "POST"])
def import_list(request):
    if request.method == "POST":
        check_change(request)
    else:
        check_view(request)
    form = DecpUploadForm(request.POST or None, request.FILES or None) if can_change_decp(request.user) else None
    if request.method == "POST" and form.is_valid():
        decp_import = decp_requests.request_file_import(request.user, form.cleaned_data["file"])
        messages.success(request, "Le fichier est déposé : l'import commence.")
        return redirect("procurement:import_detail", pk=decp_import.pk)
    imports = DecpImport.objects.select_related("created_by")[:LISTED_IMPORTS]
    return render(
        request,
        "procurement/imports/list.html",
        {
            "form": form,
            "imports": imports,
            "can_change": can_change_decp(request.user),
            "department_code": decp_intake.department_code(),
        },
    )


@require_POST
def import_from_api(request):
    check_change(request)
    decp_import, created = decp_requests.request_api_import(request.user)
    if created:
        messages.success(request, "L'import depuis l'API data.gouv.fr commence.")
    else:
        messages.info(request, "Un import depuis l'API est déjà en cours : voici son avancement.")
    return redirect("procurement:import_detail", pk=decp_import.pk)


@require_GET
def import_detail(request, pk):
    decp_import = IMPORTS.to_view(request, pk, refine=_with_author)
    fail_if_stale(decp_import)
    rejected = Paginator(decp_import.rejected_rows.order_by("position", "pk"), REJECTED_PAGE_SIZE)
    return render(
        request,
        "procurement/imports/detail.html",
        {
            "decp_import": decp_import,
            "rejected": rejected.get_page(request.GET.get("page")),
            "can_change": IMPORTS.may_change(request.user, decp_import),
        },
    )


@require_GET
def import_status(request, pk):
    """The progress fragment the import's page polls every 2 seconds while the import runs. Once
    the import has finished, the polling page reloads itself whole: its rejected rows and end
    time are outside the fragment."""
    decp_import = IMPORTS.to_view(request, pk, refine=_with_author)
    fail_if_stale(decp_import)
    if request.htmx and decp_import.is_finished:
        return HttpResponseClientRefresh()
    context = {"decp_import": decp_import, "can_change": IMPORTS.may_change(request.user, decp_import)}
    return render(request, "procurement/imports/_status.html", context)


@require_POST
def import_retry(request, pk):
    decp_import = IMPORTS.to_change(request, pk, refine=_with_author)
    fail_if_stale(decp_import)
    if decp_import.status == DecpImport.Status.FAILED:
        decp_requests.retry_import(decp_import)
        messages.success(request, "L'import est relancé.")
    return redirect("procurement:import_detail", pk=decp_import.pk)
