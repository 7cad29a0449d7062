"""Reports whose worker died: a row left "running" for too long is marked failed so it can be re-run.

A worker killed in the middle of a job (out of memory, restart of the machine) never writes the end
of the job on the row. The task is sent with ``acks_late`` and ``reject_on_worker_lost`` so that the
broker hands it again to another worker; the sweep below (a periodic task, and the report's page
when it is looked at) covers the cases where that does not happen.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from .models import Report

STALE_ERROR = (
    "La préparation du bilan s'est interrompue (le traitement en arrière-plan a été arrêté). "
    "Relancez-le ; si l'échec se reproduit, prévenez l'administrateur de Clausier."
)


def running_timeout():
    """How long a report may stay "running" before it is taken for dead."""
    return datetime.timedelta(minutes=settings.REPORT_RUNNING_TIMEOUT_MINUTES)


def _stale_condition(now):
    return {"status": Report.Status.RUNNING, "started_at__lt": now - running_timeout()}


def fail_stale_reports(now=None):
    """Mark failed, with a French message, every report running for longer than the timeout.
    Returns the number of reports marked."""
    now = now or timezone.now()
    return Report.objects.filter(**_stale_condition(now)).update(
        status=Report.Status.FAILED, error=STALE_ERROR, finished_at=now
    )


def fail_if_stale(report, now=None):
    """The same for one report already loaded (no query unless it is stale); True when marked."""
    now = now or timezone.now()
    if report.status != Report.Status.RUNNING or report.started_at is None:
        return False
    if report.started_at >= now - running_timeout():
        return False
    marked = Report.objects.filter(pk=report.pk, **_stale_condition(now)).update(
        status=Report.Status.FAILED, error=STALE_ERROR, finished_at=now
    )
    if marked:
        report.status, report.error, report.finished_at = Report.Status.FAILED, STALE_ERROR, now
    return bool(marked)
