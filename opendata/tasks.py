"""Thin tasks: they take ids and call the services."""

import logging

from celery import shared_task

from common.dates import today

from . import services
from .models import OpenDataset

logger = logging.getLogger(__name__)


@shared_task
def build_dataset(dataset_id):
    dataset = OpenDataset.objects.filter(pk=dataset_id).first()
    if dataset is None:
        return None
    try:
        services.build(dataset)
    except Exception:
        logger.exception("Échec du jeu de données ouvertes %s", dataset_id)
    return dataset.status


@shared_task
def build_previous_year():
    """Periodic (early January): the dataset of the year that just ended, built in this job (the row
    first, so that the page shows it queued then running)."""
    dataset = services.queue(today().year - 1)
    build_dataset(dataset.pk)
    return dataset.pk
