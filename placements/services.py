"""Writes of placements that touch several models, each in one transaction."""

from django.conf import settings
from django.db import transaction

from .eligibility import add_months
from .models import Candidacy, FollowUp, JobOffer, Outcome


def plan_follow_ups(placement):
    """Contacts at the start, after one month and at the end of the placement (idempotent)."""
    planned = {
        FollowUp.Kind.START: placement.start_date,
        FollowUp.Kind.ONE_MONTH: add_months(placement.start_date, 1),
    }
    if placement.end_date:
        planned[FollowUp.Kind.END] = placement.end_date
    for kind, due in planned.items():
        follow_up, created = FollowUp.objects.get_or_create(placement=placement, kind=kind, defaults={"due_date": due})
        if not created and follow_up.done_on is None and follow_up.due_date != due:
            follow_up.due_date = due
            follow_up.save(update_fields=["due_date"])


def plan_outcomes(placement):
    """Outcomes due at the end of the placement and 6 (12) months later, once the end is known."""
    if not placement.end_date:
        return
    moments = {Outcome.Moment.EXIT: 0}
    for months in settings.CLAUSIER["OUTCOME_FOLLOW_UP_MONTHS"]:
        moments[Outcome.Moment.SIX_MONTHS if months == 6 else Outcome.Moment.TWELVE_MONTHS] = months
    for moment, months in moments.items():
        due = add_months(placement.end_date, months) if months else placement.end_date
        outcome, created = Outcome.objects.get_or_create(placement=placement, moment=moment, defaults={"due_date": due})
        if not created and outcome.recorded_on is None and outcome.due_date != due:
            outcome.due_date = due
            outcome.save(update_fields=["due_date"])


@transaction.atomic
def save_placement(placement, user=None):
    """Save a placement with its planned follow-ups and outcomes; a hired candidacy fills its offer."""
    is_new = placement.pk is None
    if is_new and user is not None:
        placement.created_by = user
    placement.save()
    plan_follow_ups(placement)
    plan_outcomes(placement)
    candidacy = placement.candidacy
    if candidacy is not None and candidacy.status != Candidacy.Status.HIRED:
        candidacy.status = Candidacy.Status.HIRED
        candidacy.save(update_fields=["status", "updated_at"])
    if candidacy is not None:
        offer = candidacy.offer
        hired = offer.candidacies.filter(status=Candidacy.Status.HIRED).count()
        if hired >= offer.positions and offer.status == JobOffer.Status.OPEN:
            offer.status = JobOffer.Status.FILLED
            offer.save(update_fields=["status", "updated_at"])
    return placement


def propose_candidates(offer, participants, user):
    """Candidacies of the chosen people for the offer, all or none; how many were proposed."""
    chosen = list(participants)
    with transaction.atomic():
        for participant in chosen:
            Candidacy.objects.create(offer=offer, participant=participant, proposed_by=user)
    return len(chosen)
