"""The sourcing panel of a lot (loaded by htmx after the page) and the import of a structure."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from partners.emplois_client import EmploisUnavailable
from partners.permissions import load_memberships

from . import sourcing
from .access import LOTS
from .permissions import can_import_structures, can_see_sourcing


def _lot(request, pk):
    """The lot, for those who may see its sourcing; 404 for everyone else, as for the lot page."""
    load_memberships(request.user)  # roles and bodies read once for the whole request
    if not can_see_sourcing(request.user):
        raise Http404
    return LOTS.to_view(
        request, pk, refine=lambda lots: lots.select_related("trade", "clause", "contract__operation__commune")
    )


def _render(request, lot, radius, status=200):
    context = {
        "sourcing": sourcing.build(lot, radius),
        "radii": sourcing.RADII,
        "can_import": can_import_structures(request.user, lot.contract.operation),
    }
    template = "clauses/sourcing.html" if request.htmx else "clauses/sourcing_page.html"
    return render(request, template, context, status=status)


@require_GET
def lot_sourcing(request, pk):
    lot = _lot(request, pk)
    return _render(request, lot, sourcing.radius_from(request.GET.get("rayon")))


@require_POST
def lot_sourcing_import(request, pk):
    lot = _lot(request, pk)
    if not can_import_structures(request.user, lot.contract.operation):
        raise PermissionDenied
    radius = sourcing.radius_from(request.POST.get("rayon"))
    try:
        organisation, created = sourcing.import_from_emplois(lot, radius, request.POST.get("siret", "").strip())
    except LookupError:
        messages.error(
            request, "Cette structure n'est plus dans la liste des emplois de l'inclusion : rechargez la liste."
        )
    except EmploisUnavailable as error:
        messages.error(request, str(error))
    else:
        verb = "est ajoutée à l'annuaire" if created else "était déjà dans l'annuaire (même SIRET) : sa fiche est liée"
        messages.success(request, f"« {organisation.name} » {verb}.")
    if not request.htmx:
        return redirect("clauses:lot_detail", pk=lot.pk)
    return _render(request, lot, radius)
