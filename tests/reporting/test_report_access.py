"""reporting.access: the reports' accessor is the one the views and templates ask."""

from common.access import access_for
from reporting import access
from reporting.models import Report


def test_the_reports_have_their_rules():
    assert access_for(Report) is access.REPORTS
