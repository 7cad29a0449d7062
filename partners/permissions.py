"""Who may see and change what in partners: one place that answers, for every view."""

from django.db.models import Prefetch, prefetch_related_objects

from .roles import STAFF_ROLES, Role


def has_role(user, *roles):
    return bool(user.is_authenticated and user.is_active and set(user.roles) & set(roles))


def is_administrator(user):
    return has_role(user, Role.ADMINISTRATOR)


def is_facilitator(user):
    """Facilitators and administrators do the facilitation work."""
    return has_role(user, Role.ADMINISTRATOR, Role.FACILITATOR)


def is_department_staff(user):
    """Sees aggregated figures across organisations (administrators, facilitators, readers)."""
    return has_role(user, *STAFF_ROLES)


def can_view_reference_data(user):
    return is_department_staff(user)


def can_edit_reference_data(user):
    return is_administrator(user)


def can_use_directory(user):
    """The directory of partners (and their contacts) is the facilitators' working tool."""
    return is_facilitator(user)


def can_view_coverage(user):
    return is_department_staff(user)


def can_edit_coverage(user):
    """Coverage decides who follows which contracts, so only administrators change it."""
    return is_administrator(user)


def can_view_actions(user):
    return is_department_staff(user)


def can_edit_actions(user):
    return is_facilitator(user)


def load_memberships(user):
    """Load the user's memberships (with their organisations) once for the whole request: roles,
    bodies and organisations are then read without a query each time. Returns the user."""
    if user.is_authenticated:
        # The membership model through the user's relation: partners.models imports this module.
        membership = user._meta.get_field("memberships").related_model
        prefetch_related_objects(
            [user], Prefetch("memberships", queryset=membership.objects.select_related("organisation"))
        )
    return user
