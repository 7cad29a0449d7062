"""The proof files of a month's hours (payslips, statements): their upload by the employer, their
download by whoever may see the declaration. ``proofs`` checks the files."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from common.dates import month_label, of_month
from partners.permissions import load_memberships
from placements.models import (
    DeclarationProof,
    PersonalDataAccess,
    private_storage,
    proof_upload_path,
)
from placements.personal_data import log_access, participants_of_declaration

from . import proofs
from .access import DECLARATIONS, PROOFS
from .declaration_forms import ProofForm
from .declaration_grid import grid_form, load_grid
from .declaration_scope import grid_url
from .declaration_views import render_grid


def _store_proof(declaration, form, user):
    """Store the file under a generated name on the private storage; keep the person's name apart."""
    uploaded = form.cleaned_data["file"]
    proof = DeclarationProof(
        declaration=declaration,
        original_name=proofs.original_name(uploaded.name),
        content_type=form.kind.content_type,
        size=uploaded.size,
        uploaded_by=user,
    )
    # The storage is built here, not taken from the field: it follows PRIVATE_STORAGE_ROOT as it is now.
    storage = private_storage()
    proof.file.name = storage.save(proof_upload_path(proof, proofs.stored_name(form.kind)), uploaded)
    try:
        proof.save()
    except Exception:
        storage.delete(proof.file.name)
        raise
    return proof


@require_POST
def proof_upload(request, pk):
    user = request.user
    load_memberships(user)
    declaration = DECLARATIONS.to_change(
        request, pk, refine=lambda declarations: declarations.select_related("employer")
    )
    employer, month = declaration.employer, declaration.month
    form = ProofForm(request.POST, request.FILES)
    message = ""
    if form.is_valid():
        proof = _store_proof(declaration, form, user)
        message = f"Le justificatif « {proof.original_name} » est joint aux heures {of_month(month)}."
        if not request.htmx:
            messages.success(request, message)
            return redirect(f"{grid_url(user, employer, month)}#justificatifs")
        form = ProofForm()
    grid = load_grid(employer, month, correcting=False, create=False)
    if request.htmx:
        context = {
            "declaration": declaration,
            "month_label": month_label(month),
            "proofs": grid.proofs,
            "proof_form": form,
            "proof_message": message,
            "can_upload": True,
        }
        return render(request, "placements/portal/_proofs.html", context)
    return render_grid(request, grid, grid_form(grid), form)


@require_http_methods(["GET"])
def proof_download(request, pk):
    """The file, to whoever may see its declaration: its employer, the facilitators who follow it,
    administrators. Anyone else gets 404, as if it did not exist."""
    user = request.user
    load_memberships(user)
    proof = PROOFS.to_view(request, pk)
    try:
        handle = private_storage().open(proof.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("Le fichier de ce justificatif est introuvable.") from exc
    # A payslip or a statement names the people of the declaration: log one access for each.
    log_access(request, participants_of_declaration(proof.declaration_id), PersonalDataAccess.Kind.PROOF)
    return FileResponse(handle, as_attachment=True, filename=proof.original_name, content_type=proof.content_type)
