import logging

from celery import shared_task
from django.utils import timezone

from . import geography_refresh
from .http_client import ServiceUnavailable

logger = logging.getLogger(__name__)


@shared_task
def ping(value):
    """Round trip through the broker: the worker echoes the value with the time it answered."""
    return {"echo": value, "answered_at": timezone.now().isoformat()}


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
