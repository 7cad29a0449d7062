"""Who may see and act on the DECP data (design.md, Roles).

The DECP is public, but the review is the facilitators' work: facilitators and administrators
import, review and reconcile; department readers read the imports and the reconciliation (a
write is a 403); employers and buyers do not see these pages (404)."""

from partners.permissions import has_role, is_department_staff, is_facilitator
from partners.roles import Role


def can_view_decp(user):
    return is_department_staff(user)


def can_change_decp(user):
    return is_facilitator(user)


def is_read_only_on_decp(user):
    return has_role(user, Role.DEPARTMENT_READER) and not can_change_decp(user)
