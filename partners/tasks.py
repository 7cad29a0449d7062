import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import geography_refresh
from .http_client import ServiceUnavailable
from .models import Organisation
from .register_checks import check_organisations, due_for_check

logger = logging.getLogger(__name__)


@shared_task
def ping(value):
    """Round trip through the broker: the worker echoes the value with the time it answered."""
    return {"echo": value, "answered_at": timezone.now().isoformat()}


@shared_task
def check_directory_in_register():
    """Weekly: every SIRET of the directory checked in the Sirene register (closed establishments
    flagged on the dashboards of the facilitators who follow their lots)."""
    return str(check_organisations(due_for_check()))


@shared_task
def check_in_register(organisation_ids):
    """The organisations just created by an import, checked at once in the Sirene register."""
    return str(check_organisations(Organisation.objects.filter(pk__in=organisation_ids).exclude(siret="")))


def schedule_register_check(organisation_ids):
    """After an import created organisations: their SIRET checked by the worker once the import is
    saved. Without a worker (``make run``: tasks would run inside the page), the weekly check does
    it, so that a page never waits for the register."""
    ids = [pk for pk in organisation_ids if pk]
    if not ids or settings.CELERY_TASK_ALWAYS_EAGER:
        return False
    transaction.on_commit(lambda: check_in_register.delay(ids))
    return True


@shared_task
def refresh_geography():
    """Every year: the communes and EPCI of the department from geo.api.gouv.fr."""
    try:
        summary = geography_refresh.refresh_from_api()
    except (ServiceUnavailable, geography_refresh.RefreshRefused) as error:
        logger.warning("Mise à jour des communes et EPCI impossible : %s", error)
        return {"ok": False, "message": str(error)}
    logger.info("Mise à jour des communes et EPCI : %s", summary.text())
    return {"ok": True, **summary.counts(), "message": summary.text()}
