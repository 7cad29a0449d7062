"""Who may see which figures, exports and reports (design.md, Roles)."""

from clauses.models import Lot, organisations_with_role
from partners.permissions import has_role, is_administrator
from partners.roles import Role


def is_facilitator_or_admin(user):
    return is_administrator(user) or has_role(user, Role.FACILITATOR)


def can_view_department_dashboard(user):
    """The whole of Ain, aggregated: department readers and administrators."""
    return is_administrator(user) or has_role(user, Role.DEPARTMENT_READER)


def can_view_figures(user):
    """Dashboards, exports and reports: everyone but employers."""
    return is_administrator(user) or has_role(user, Role.FACILITATOR, Role.DEPARTMENT_READER, Role.BUYER)


def can_see_personal_data(user):
    """Names and eligibility appear only in the facilitators' (and administrators') exports."""
    return is_facilitator_or_admin(user)


def can_request_reports(user):
    """Impact reports and buyers' reports are built on request of the Département's staff."""
    return is_administrator(user) or has_role(user, Role.FACILITATOR, Role.DEPARTMENT_READER)


def visible_lots(user):
    """The lots whose figures the user may read: all for the Département, their territory for a
    facilitator, their own contracts for a buyer."""
    return Lot.objects.for_user(user)


def buyers_of(user):
    """Ids of the contracting authorities a buyer works for."""
    return organisations_with_role(user, Role.BUYER)


def can_export_rows_of_people(user):
    """One row per placement, even without names, is for the Département's staff only: a buyer
    reads their contracts aggregated (a small contract's rows could point to a person)."""
    return is_administrator(user) or has_role(user, Role.FACILITATOR, Role.DEPARTMENT_READER)
