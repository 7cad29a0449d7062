"""The recruitment outlook's read model: lots starting soon, with their hours, holders and open
offers, and lots already started that still have an open offer."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from clauses.models import Lot, Operation

from . import candidacy_flow as flow
from .eligibility import add_months
from .models import JobOffer


def _open_offers(user):
    return (
        JobOffer.objects.for_user(user)
        .open()
        .select_related("employer")
        .annotate(
            candidacy_count=Count("candidacies", filter=~Q(candidacies__status=flow.WITHDRAWN)),
            hired_count=Count("candidacies", filter=Q(candidacies__status=flow.HIRED)),
        )
        .order_by("start_date", "pk")
    )


def outlook_lots(user, on, until):
    """Lots with a clause starting after ``on`` up to ``until``, or running on ``on`` with an open offer."""
    return list(
        Lot.objects.for_user(user)
        .with_progress_data()
        .filter(clause__isnull=False)
        .annotate(has_open_offer=Exists(JobOffer.objects.open().filter(lot=OuterRef("pk"))))
        .filter(
            Q(start_date__gt=on, start_date__lte=until) | Q(start_date__lte=on, end_date__gte=on, has_open_offer=True)
        )
        .select_related("trade")
        .prefetch_related("awards__company", Prefetch("job_offers", queryset=_open_offers(user), to_attr="open_offers"))
        .order_by("start_date", "contract__operation__title", "number", "pk")
    )


def outlook(user, months, on):
    """The page's figures for the next ``months`` months from ``on``."""
    until = add_months(on, months)
    lots = outlook_lots(user, on, until)
    editable = set(
        Operation.objects.editable_by(user)
        .filter(pk__in={lot.contract.operation_id for lot in lots})
        .values_list("pk", flat=True)
    )
    upcoming = [lot for lot in lots if lot.start_date > on]
    return {
        "months": months,
        "until": until,
        "upcoming": upcoming,
        "started": [lot for lot in lots if lot.start_date <= on],
        "editable": editable,
        "upcoming_hours": sum((lot.hours_required for lot in upcoming), 0),
        "upcoming_without_offer": sum(1 for lot in upcoming if not lot.open_offers),
    }
