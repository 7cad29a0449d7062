"""Views of the import of companies and inclusion structures into the directory of partners."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import imports
from .import_forms import OrganisationImportForm
from .permissions import can_use_directory

logger = logging.getLogger(__name__)

# More errors than this are counted but not all listed: the page would become unusable.
MAX_ERRORS_SHOWN = 1000

TEMPLATE_FILES = {
    "csv": ("text/csv; charset=utf-8", imports.template_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", imports.template_xlsx),
}


@require_http_methods(["GET", "POST"])
def import_organisations(request):
    if not can_use_directory(request.user):
        raise PermissionDenied
    result = None
    if request.method == "POST":
        form = OrganisationImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = imports.import_organisations(form.cleaned_data["file"])
            if result.ok:
                count = len(result.created)
                logger.info("Import of %s organisations by user %s", count, request.user.pk)
                plural = "s" if count > 1 else ""
                messages.success(request, f"{count} organisation{plural} importée{plural}.")
                if result.ignored_columns:
                    ignored = ", ".join(f"« {name} »" for name in result.ignored_columns)
                    messages.info(request, f"Colonnes non reconnues, donc ignorées : {ignored}.")
                return redirect("partners:organisation_list")
    else:
        form = OrganisationImportForm()
    errors = result.errors if result else []
    return render(
        request,
        "partners/import.html",
        {
            "form": form,
            "result": result,
            "errors": errors[:MAX_ERRORS_SHOWN],
            "error_count": len(errors),
            "errors_truncated": len(errors) > MAX_ERRORS_SHOWN,
            "max_errors_shown": MAX_ERRORS_SHOWN,
            "columns": imports.COLUMNS,
            "max_rows": imports.MAX_ROWS,
        },
    )


def import_template(request, fmt):
    # Permission first: users without the directory get 403 whatever the method.
    if not can_use_directory(request.user):
        raise PermissionDenied
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if fmt not in TEMPLATE_FILES:
        raise Http404("Modèle disponible en CSV ou XLSX seulement.")
    content_type, build = TEMPLATE_FILES[fmt]
    response = HttpResponse(build(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="modele-import-organisations.{fmt}"'
    return response
