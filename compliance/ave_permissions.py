"""Who may read the AVE yearly return: the Département's reader and the administrator, nobody
else (issue 18). The same people as the Département's dashboard, so the same predicate."""

from reporting.permissions import can_view_department_dashboard


def can_view_ave_return(user):
    return can_view_department_dashboard(user)
