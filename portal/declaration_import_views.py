"""Views of the import of a month's hours from a CSV or XLSX file, in the employer's portal."""

import logging
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from clauses.models import organisations_with_role
from common.dates import month_label, of_month
from partners.models import Organisation
from partners.permissions import is_administrator
from partners.roles import Role
from placements.permissions import is_employer

from . import declaration_imports as imports
from .declaration_import_forms import DeclarationImportForm
from .declaration_services import declarable_placements

logger = logging.getLogger(__name__)

# More errors than this are counted but not all listed: the page would become unusable.
MAX_ERRORS_SHOWN = 1000
# Administrators (and employers of several organisations) say for whom: ?employeur=<id>.
EMPLOYER_PARAMETER = "employeur"
EMPLOYER_KINDS = [Organisation.Kind.COMPANY, Organisation.Kind.INCLUSION_STRUCTURE]

TEMPLATE_FILES = {
    "csv": ("text/csv; charset=utf-8", imports.template_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", imports.template_xlsx),
}


def _employer(request):
    """The organisation whose hours are imported: the user's own (active employer membership), or,
    for an administrator, the company or structure named by ?employeur=. Others: 403."""
    user = request.user
    if not (is_employer(user) or is_administrator(user)):
        raise PermissionDenied
    own = organisations_with_role(user, Role.EMPLOYER)
    wanted = request.GET.get(EMPLOYER_PARAMETER, "")
    if wanted:
        if not wanted.isdigit():
            raise Http404("Employeur inconnu.")
        scope = Organisation.objects.filter(kind__in=EMPLOYER_KINDS)
        if not is_administrator(user):
            scope = Organisation.objects.filter(pk__in=own)
        return get_object_or_404(scope, pk=int(wanted))
    employer = Organisation.objects.filter(pk__in=own).order_by("name", "pk").first()
    if employer is None:
        raise Http404("Indiquez l'employeur dont vous importez les heures.")
    return employer


def _month(year, month):
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404("Mois inconnu.")
    return date(year, month, 1)


def _employer_query(request, employer):
    return f"?{EMPLOYER_PARAMETER}={employer.pk}" if request.GET.get(EMPLOYER_PARAMETER) else ""


def _announce(request, result, employer, month_start):
    logger.info(
        "Import of %s hours lines for organisation %s, %s, by user %s",
        result.imported_count,
        employer.pk,
        f"{month_start:%Y-%m}",
        request.user.pk,
    )
    for level, text in result.success_messages():
        messages.add_message(request, level, text)


def _page_context(form, result, employer, month_start):
    errors = result.errors if result else []
    return {
        "form": form,
        "result": result,
        "errors": errors[:MAX_ERRORS_SHOWN],
        "error_count": len(errors),
        "errors_truncated": len(errors) > MAX_ERRORS_SHOWN,
        "max_errors_shown": MAX_ERRORS_SHOWN,
        "employer": employer,
        "month": month_start,
        "month_label": month_label(month_start),
        "of_month": of_month(month_start),
        "month_code": imports.month_code(month_start),
        "people_count": declarable_placements(employer, month_start).count(),
        "columns": imports.COLUMNS,
        "max_rows": imports.MAX_ROWS,
        "maximum": imports.monthly_maximum(),
    }


@require_http_methods(["GET", "POST"])
def declaration_import(request, year, month):
    employer = _employer(request)
    month_start = _month(year, month)
    query = _employer_query(request, employer)
    grid_url = reverse("placements:declaration_grid", kwargs={"year": year, "month": month}) + query
    result = None
    if request.method == "POST":
        form = DeclarationImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = imports.import_hours(form.cleaned_data["file"], employer, month_start, request.user)
            if result.ok:
                _announce(request, result, employer, month_start)
                return redirect(grid_url)
    else:
        form = DeclarationImportForm()
    context = {**_page_context(form, result, employer, month_start), "grid_url": grid_url, "query": query}
    return render(request, "placements/portal/import.html", context)


def declaration_import_template(request, year, month, fmt):
    # Permission first: users who may not import get 403 whatever the method or format.
    employer = _employer(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if fmt not in TEMPLATE_FILES:
        raise Http404("Modèle disponible en CSV ou XLSX seulement.")
    month_start = _month(year, month)
    content_type, build = TEMPLATE_FILES[fmt]
    response = HttpResponse(build(employer, month_start), content_type=content_type)
    filename = imports.template_filename(employer, month_start, fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # names of the people employed: not kept by the browser
    return response
