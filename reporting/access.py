"""Who may see and change each kind of object of reporting (``common.access``): the reports. A user
sees the reports of ``Report.objects.for_user``; those who may ask for reports (the Département's
staff) may retry them, the others (buyers) only read (``permissions.py`` keeps the rules)."""

from common.access import register
from partners.permissions import load_memberships

from .models import Report
from .permissions import can_request_reports


def _reports(user):
    load_memberships(user)  # the roles are read once per request
    return Report.objects.for_user(user).select_related("created_by")


REPORTS = register(Report, visible=_reports, may_change=lambda user, report: can_request_reports(user))
