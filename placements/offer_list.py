"""The offer list's read model: the filter form's choices, the summary counts, the listed offers."""

from django.db.models import Case, Count, Q, Sum, When

from partners.models import Organisation

from . import candidacy_flow as flow
from .models import JobOffer
from .offer_forms import OfferFilterForm


def filter_form(data, visible):
    """The filter form, offering the employers, buyers and start months of the visible offers."""
    return OfferFilterForm(
        data,
        employers=Organisation.objects.filter(pk__in=visible.values("employer")).order_by("name"),
        buyers=Organisation.objects.filter(pk__in=visible.values("lot__contract__operation__buyer")).order_by("name"),
        months=list(visible.dates("start_date", "month")),
    )


def summary(offers):
    """How many offers are open, filled, cancelled, and the open positions."""
    return offers.aggregate(
        open=Count("pk", filter=Q(status=JobOffer.Status.OPEN)),
        filled=Count("pk", filter=Q(status=JobOffer.Status.FILLED)),
        cancelled=Count("pk", filter=Q(status=JobOffer.Status.CANCELLED)),
        open_positions=Sum("positions", filter=Q(status=JobOffer.Status.OPEN)),
    )


def listed(offers, show_proposed):
    """The offers, open first, with their candidacy counts; proposed ones only when ``show_proposed``
    (employers never learn of candidacies still being prepared)."""
    counts = {
        "awaiting_count": Count("candidacies", filter=Q(candidacies__status__in=flow.AWAITING_ANSWER)),
        "hired_count": Count("candidacies", filter=Q(candidacies__status=flow.HIRED)),
    }
    if show_proposed:
        counts["proposed_count"] = Count("candidacies", filter=Q(candidacies__status=flow.PROPOSED))
    return (
        offers.select_related("employer", "place", "lot__contract__operation__buyer")
        .annotate(**counts, open_first=Case(When(status=JobOffer.Status.OPEN, then=0), default=1))
        .order_by("open_first", "start_date", "pk")
    )
