"""The "fiche clause" PDF of a contract or a lot, for buyers to put in their tender documents.

Objects come through ``for_user`` (outsiders get 404); then only the roles that may download the
sheet get it (employers get 403, even on their own lots). A contract whose lots have no clause
yet gets a sheet that says so and gives the facilitator to contact to add one; a lot without a
clause has no sheet (404: its page shows no link to one).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from .access import CONTRACTS, LOTS
from .models import Lot
from .permissions import can_download_clause_sheet
from .sheet import build_sheet, render_pdf


def _require_download(request):
    if not can_download_clause_sheet(request.user):
        raise PermissionDenied


def _pdf_response(sheet):
    response = HttpResponse(render_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{sheet.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def contract_sheet(request, pk):
    contract = CONTRACTS.to_view(
        request,
        pk,
        refine=lambda contracts: contracts.select_related(
            "operation__buyer", "operation__commune", "operation__facilitation_body"
        ),
    )
    _require_download(request)
    lots = Lot.objects.for_user(request.user).filter(contract=contract, clause__isnull=False).with_progress_data()
    return _pdf_response(build_sheet(contract, lots))


def lot_sheet(request, pk):
    lot = LOTS.to_view(
        request,
        pk,
        refine=lambda lots: lots.with_progress_data().select_related(
            "contract__operation__commune", "contract__operation__facilitation_body"
        ),
    )
    _require_download(request)
    if getattr(lot, "clause", None) is None:
        raise Http404("Ce lot ne comporte pas de clause d'insertion : il n'a pas de fiche clause.")
    return _pdf_response(build_sheet(lot.contract, [lot], single_lot=True))
