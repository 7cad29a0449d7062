"""Reports built in the background (design.md, Jobs): the task takes the report's id, fills the row
with its progress, then the PDF or a French error message. A report never stays "running"."""

import logging
from datetime import date

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from clauses.models import today
from partners.permissions import has_role, is_administrator
from partners.roles import Role

from . import dashboard_fragments, digest, indicators, report_document, report_kinds, report_sweep
from .models import Report
from .permissions import visible_lots
from .scope import ScopeError

logger = logging.getLogger(__name__)

GENERIC_ERROR = (
    "Le bilan n'a pas pu être construit. Relancez-le ; si l'échec se reproduit, prévenez l'administrateur de Clausier."
)


def _set(report, **fields):
    """Write ``fields`` on the row at once (the page polls it) and on the object."""
    Report.objects.filter(pk=report.pk).update(**fields)
    for name, value in fields.items():
        setattr(report, name, value)


def lots_for(report):
    """The lots a report may count: all of them, except for a report asked by a facilitator, who
    gets only the lots of their territory (the figures never exceed what the requester sees)."""
    user = report.created_by
    if user is None or is_administrator(user) or has_role(user, Role.DEPARTMENT_READER):
        return None
    return visible_lots(user)


# A worker killed mid-job leaves the message unacknowledged: the broker hands it to another worker.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_report(report_id):
    """Compute the figures of report ``report_id``, print its PDF, store it. Returns the status."""
    report = Report.objects.select_related("created_by").filter(pk=report_id).first()
    if report is None:
        logger.warning("Bilan %s introuvable : rien à construire.", report_id)
        return None
    if report.status == Report.Status.DONE:
        return report.status
    _set(report, status=Report.Status.RUNNING, progress=10, error="", started_at=timezone.now(), finished_at=None)
    try:
        on = today()
        builder = report_kinds.builder_for(report.kind)
        if builder is not None:
            pdf = builder(report, on, lambda percent: _set(report, progress=percent))
        else:
            lots = lots_for(report)
            figures = indicators.compute(report.period, report.scope, lots=lots, on=on)
            _set(report, progress=40)
            pdf = report_document.render_pdf(report, figures, on, lots=lots)
        _set(report, progress=80)
        old_name = report.file.name
        report.file.save(report.filename, ContentFile(pdf), save=False)
        if old_name and old_name != report.file.name:
            report.file.storage.delete(old_name)
        _set(report, file=report.file.name, status=Report.Status.DONE, progress=100, finished_at=timezone.now())
    except Exception as exc:
        logger.exception("Échec de la construction du bilan %s", report_id)
        if isinstance(exc, ScopeError):
            label = report.scope_label or report.get_scope_kind_display()
            message = f"Le périmètre de ce bilan (« {label} ») n'existe plus : demandez un nouveau bilan."
        else:
            message = GENERIC_ERROR
        _set(report, status=Report.Status.FAILED, error=message, finished_at=timezone.now())
    return report.status


@shared_task
def fail_stale_reports():
    """Periodic: reports left "running" by a dead worker become failed, so that they can be re-run."""
    count = report_sweep.fail_stale_reports()
    if count:
        logger.warning("%s bilan(s) bloqué(s) « en cours » marqué(s) en échec.", count)
    return count


@shared_task(ignore_result=True)
def refresh_department_dashboard(year, scope_kind, scope_pk, on):
    """Work the Département's dashboard out again after the data changed (``figures_cache``)."""
    dashboard_fragments.refresh_department(year, scope_kind, scope_pk, date.fromisoformat(on))


def refresh_department_later(year, scope, on):
    """Send the Département dashboard's figures of ``year`` and ``scope`` to be worked out again."""
    refresh_department_dashboard.delay(year, scope.kind, scope.pk, on.isoformat())


@shared_task
def send_weekly_digests(on=None):
    """Monday morning: e-mail each active facilitator their week (``digest``), once, when at least
    one section has something; this is also the periodic alert of the lots behind schedule.

    ``on``: the day as an ISO date (default: today, Europe/Paris). The e-mails leave after the
    transaction commits; a failing address does not stop the others."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    with transaction.atomic():
        emails = digest.weekly_digests(day)
        for email in emails:
            transaction.on_commit(email.send, robust=True)
    return {
        "day": day.isoformat(),
        "emails_sent": len(emails),
        "lots_fell_behind": sum(len(email.digest.section("fell-behind").items) for email in emails),
    }
