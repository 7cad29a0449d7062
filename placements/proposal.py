"""Who may be proposed for an offer: the candidate pool, RSA beneficiaries first, and the people shown."""

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When

from .models import EligibilityCriterion, Participant

POOL_DISPLAY_LIMIT = 100


def candidate_pool(user, on):
    """Eligible people available on ``on``, RSA beneficiaries first (at entry or by criterion)."""
    rsa_criterion = EligibilityCriterion.objects.filter(participant=OuterRef("pk"), criterion="RSA")
    return (
        Participant.objects.for_user(user)
        .available(on)
        .annotate(has_rsa_criterion=Exists(rsa_criterion))
        .annotate(
            rsa_first=Case(
                When(Q(rsa_at_entry=True) | Q(has_rsa_criterion=True), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-rsa_first", "last_name", "first_name", "pk")
    )


def shown_candidates(pool, search, already_proposed, checked):
    """(person, already proposed, checked) for the first POOL_DISPLAY_LIMIT people of the pool whose
    name matches ``search``, and whether more matched."""
    shown = pool
    if search:
        shown = shown.filter(Q(last_name__icontains=search) | Q(first_name__icontains=search))
    shown = list(
        shown.select_related("commune").prefetch_related("wished_trades", "criteria")[: POOL_DISPLAY_LIMIT + 1]
    )
    rows = [(person, person.pk in already_proposed, str(person.pk) in checked) for person in shown[:POOL_DISPLAY_LIMIT]]
    return rows, len(shown) > POOL_DISPLAY_LIMIT
