"""Jobs whose worker died: a row left "running" for too long is marked failed so it can be run again.

A worker killed in the middle of a job (out of memory, restart of the machine) never writes the end
of the job on its row. Tasks are sent with ``acks_late`` and ``reject_on_worker_lost`` so that the
broker hands them again to another worker; this sweep (a periodic task, and the job's page when it
is looked at) covers the cases where that does not happen. One implementation for every kind of job
row with ``status``, ``started_at``, ``finished_at`` and ``error`` (reports, DECP imports).
"""

import datetime

from django.conf import settings
from django.utils import timezone


def running_timeout():
    """How long a job may stay "running" before it is taken for dead."""
    return datetime.timedelta(minutes=settings.REPORT_RUNNING_TIMEOUT_MINUTES)


def _stale_condition(model, now):
    return {"status": model.Status.RUNNING, "started_at__lt": now - running_timeout()}


def fail_stale(model, error, now=None):
    """Mark failed, with ``error``, every job of ``model`` running for longer than the timeout.
    Returns the number of jobs marked."""
    now = now or timezone.now()
    return model.objects.filter(**_stale_condition(model, now)).update(
        status=model.Status.FAILED, error=error, finished_at=now
    )


def fail_if_stale(job, error, now=None):
    """The same for one job already loaded (no query unless it is stale); True when marked."""
    model = type(job)
    now = now or timezone.now()
    if job.status != model.Status.RUNNING or job.started_at is None:
        return False
    if job.started_at >= now - running_timeout():
        return False
    marked = model.objects.filter(pk=job.pk, **_stale_condition(model, now)).update(
        status=model.Status.FAILED, error=error, finished_at=now
    )
    if marked:
        job.status, job.error, job.finished_at = model.Status.FAILED, error, now
    return bool(marked)
