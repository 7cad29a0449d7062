"""Who may see and change each kind of object of placements (``common.access``): every view fetches
its object through one of these. The rules themselves stay in ``permissions.py`` (and, for what
hangs on a lot, in ``clauses.permissions``)."""

from clauses.permissions import can_edit_operation
from common.access import register

from .models import Candidacy, FollowUp, JobOffer, Outcome, Participant, Placement
from .permissions import can_edit_placement, can_follow_participants


def _of_visible_placements(model):
    return lambda user: model.objects.filter(placement__in=Placement.objects.for_user(user))


PARTICIPANTS = register(
    Participant, visible=Participant.objects.for_user, may_change=lambda user, person: can_follow_participants(user)
)
PLACEMENTS = register(Placement, visible=Placement.objects.for_user, may_change=can_edit_placement)
FOLLOW_UPS = register(
    FollowUp,
    visible=_of_visible_placements(FollowUp),
    may_change=lambda user, follow_up: can_edit_placement(user, follow_up.placement),
)
OUTCOMES = register(
    Outcome,
    visible=_of_visible_placements(Outcome),
    may_change=lambda user, outcome: can_edit_placement(user, outcome.placement),
)
OFFERS = register(
    JobOffer,
    visible=JobOffer.objects.for_user,
    may_change=lambda user, offer: can_edit_operation(user, offer.lot.contract.operation),
)
CANDIDACIES = register(
    Candidacy,
    visible=Candidacy.objects.for_user,
    may_change=lambda user, candidacy: can_edit_operation(user, candidacy.offer.lot.contract.operation),
)
