"""Who may see and change what in placements. Eligibility is for facilitators only."""

from clauses.models import facilitation_bodies_of
from partners.permissions import has_role, is_administrator, is_facilitator
from partners.roles import Role


def can_follow_participants(user):
    """Facilitators and administrators record participants, offers, placements, outcomes."""
    return is_facilitator(user)


def can_see_eligibility(user):
    """RSA, disability, QPV…: sensitive data, never shown to employers, buyers or readers."""
    return is_facilitator(user)


def is_employer(user):
    return has_role(user, Role.EMPLOYER)


def can_answer_candidacies(user):
    return has_role(user, Role.EMPLOYER) or is_administrator(user)


def can_edit_placement(user, placement):
    """Administrators; facilitators of the body that follows the person or the operation."""
    if is_administrator(user):
        return True
    if not has_role(user, Role.FACILITATOR):
        return False
    bodies = set(facilitation_bodies_of(user))
    return (
        placement.participant.facilitation_body_id in bodies
        or placement.lot.contract.operation.facilitation_body_id in bodies
    )
