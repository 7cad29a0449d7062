"""Asking for a report and asking again: the row first, the task after the commit (design.md, Jobs)."""

from django.db import transaction

from .models import Report
from .tasks import build_report


def _send(report):
    pk = report.pk
    transaction.on_commit(lambda: build_report.delay(pk))


def request_report(user, kind, period, scope):
    """Create the report (queued) for ``period`` and ``scope`` and send it to the worker."""
    report = Report.objects.create(
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        scope_kind=scope.kind,
        scope_id=scope.pk,
        scope_label=scope.label,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    _send(report)
    return report


def retry_report(report):
    """Put a failed report back in the queue and send it again."""
    if report.status != Report.Status.FAILED:
        raise ValueError("Seul un bilan en échec peut être relancé.")
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.QUEUED, progress=0, error="", started_at=None, finished_at=None
    )
    report.refresh_from_db()
    _send(report)
    return report
