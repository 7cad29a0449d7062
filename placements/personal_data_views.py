"""Personal data: the record of a participant (right of access), their anonymisation (right to
erasure), and the page that tells every user what Clausier keeps and why.

The record is one self-contained HTML file: readable and printable by the person without any
software but a browser (the right of access asks for an intelligible copy; the portability
right, which asks for a machine format, does not apply to a public-interest mission).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .access import PARTICIPANTS
from .models import PersonalDataAccess
from .personal_data import PROOF_FILES_NOTE, anonymise, log_access, participant_record
from .retention import retention_years


def _participant_for(request, pk):
    """The participant if the user may see them (else 404) and act on their data (else 403)."""
    return PARTICIPANTS.to_change(request, pk)


@require_http_methods(["GET"])
def participant_record_download(request, pk):
    participant = _participant_for(request, pk)
    log_access(request, [participant.pk], PersonalDataAccess.Kind.EXPORT)
    record = participant_record(participant)
    content = render_to_string(
        "placements/personal_data/record.html",
        {**record, "generated_at": timezone.now(), "generated_by": request.user},
        request=request,
    )
    response = HttpResponse(content, content_type="text/html; charset=utf-8")
    filename = f"dossier-participant-{participant.pk}-{timezone.localdate():%Y-%m-%d}.html"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label="Motif de l'anonymisation",
        max_length=300,
        help_text="Par exemple : « demande écrite de la personne reçue le 12/03 ». N'écrivez pas son nom.",
        error_messages={"required": "Indiquez pourquoi cette personne est anonymisée."},
    )
    confirm = forms.BooleanField(
        label="Je confirme : cette anonymisation est définitive.",
        error_messages={"required": "Cochez la case pour confirmer."},
    )


@require_http_methods(["GET", "POST"])
def participant_erase(request, pk):
    participant = _participant_for(request, pk)
    if participant.anonymised_at is not None:
        messages.info(request, "Cette personne est déjà anonymisée.")
        return redirect("placements:participant_detail", pk=participant.pk)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        anonymise(participant, user=request.user, reason=form.cleaned_data["reason"], request=request)
        messages.success(
            request,
            "La personne est anonymisée : son nom, ses coordonnées et ses notes sont effacés, "
            "les chiffres (heures, mises à l'emploi, sorties) sont conservés.",
        )
        return redirect("placements:participant_detail", pk=participant.pk)
    return render(
        request,
        "placements/personal_data/erase_confirm.html",
        {"participant": participant, "form": form, "proof_files_note": PROOF_FILES_NOTE},
    )


@require_http_methods(["GET"])
def privacy_notice(request):
    return render(
        request,
        "placements/personal_data/privacy_notice.html",
        {
            "retention_years": retention_years(),
            "contact": settings.CLAUSIER.get("DATA_PROTECTION_CONTACT", ""),
        },
    )
