"""What the views of offers and candidacies share: the submitted data, the offer fetch, the edit check."""

from clauses.access import LOTS

from .access import OFFERS
from .models import JobOffer

PAGE_SIZE = 50


def posted(request):
    """The submitted data on POST (even when empty, so that an empty form shows its errors), else None."""
    return request.POST if request.method == "POST" else None


OFFER_RELATED = (
    "employer",
    "place",
    "lot__contract__operation__buyer",
    "lot__contract__operation__facilitation_body",
)


def offers_for(user):
    return JobOffer.objects.for_user(user).select_related(*OFFER_RELATED)


def offer_or_404(request, pk):
    return OFFERS.to_view(request, pk, refine=lambda offers: offers.select_related(*OFFER_RELATED))


def require_edit(request, lot):
    """403 unless the user may change ``lot`` (its offers and candidacies with it)."""
    LOTS.require_change(request.user, lot)
