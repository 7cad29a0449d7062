"""Who may see and change what in placements. Eligibility is for facilitators only."""

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
