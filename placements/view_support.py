"""What the views of offers and candidacies share: the submitted data, the offer fetch, the edit check."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from clauses.permissions import can_edit_operation

from .models import JobOffer

PAGE_SIZE = 50


def posted(request):
    """The submitted data on POST (even when empty, so that an empty form shows its errors), else None."""
    return request.POST if request.method == "POST" else None


def offers_for(user):
    return JobOffer.objects.for_user(user).select_related(
        "employer", "place", "lot__contract__operation__buyer", "lot__contract__operation__facilitation_body"
    )


def offer_or_404(request, pk):
    return get_object_or_404(offers_for(request.user), pk=pk)


def require_edit(request, lot):
    if not can_edit_operation(request.user, lot.contract.operation):
        raise PermissionDenied
