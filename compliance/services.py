"""Writes of the OETH returns, each one a transaction: a purchase and its attestation file are saved
together or not at all (the file is removed when the row cannot be saved)."""

from django.db import transaction
from django.utils import timezone

from placements.models import private_storage
from portal import proofs

from .models import AttestationAccess, attestation_upload_path


def save_year(form, user):
    year = form.save(commit=False)
    year.updated_by = user
    year.save()
    return year


def save_purchase(form, year, user):
    """Save a valid purchase form; store its new attestation (if any) under a generated name."""
    purchase = form.save(commit=False)
    purchase.year = year
    uploaded = form.cleaned_data.get("attestation")
    storage = private_storage()
    old_name = purchase.attestation.name if purchase.pk and uploaded else ""
    stored = ""
    if uploaded:
        purchase.attestation_name = proofs.original_name(uploaded.name)
        purchase.attestation_content_type = form.kind.content_type
        purchase.attestation_size = uploaded.size
        stored = storage.save(attestation_upload_path(purchase, proofs.stored_name(form.kind)), uploaded)
        purchase.attestation.name = stored
    if not purchase.pk:
        purchase.recorded_by = user
    try:
        with transaction.atomic():
            purchase.save()
            if old_name:
                transaction.on_commit(lambda: storage.delete(old_name))
    except Exception:
        if stored:
            storage.delete(stored)
        raise
    return purchase


def mark_tih(form, user):
    tih = form.save(commit=False)
    if not tih.pk:
        tih.marked_by, tih.marked_at = user, timezone.now()
    tih.save()
    return tih


def log_download(request, purchase):
    return AttestationAccess.objects.create(
        user=request.user, purchase=purchase, path=request.get_full_path()[:300], at=timezone.now()
    )
