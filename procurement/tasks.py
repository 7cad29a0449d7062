"""Jobs of the DECP import: the import itself, the nightly import from the API, the sweep of
imports left running by a worker that died (design.md, Jobs: a row first, the task after)."""

from celery import shared_task
from django.db import transaction

from . import decp_intake, decp_sweep


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_decp_import(decp_import_id):
    decp_import = decp_intake.run(decp_import_id)
    return decp_import.status


@shared_task
def import_decp_from_api():
    """Every night: the territory's contracts published since the last API import (unless one is
    already queued or running), imported by the import job."""
    decp_import, created = decp_intake.new_api_import()
    if created:
        pk = decp_import.pk
        transaction.on_commit(lambda: run_decp_import.delay(pk))
    return decp_import.pk


@shared_task
def fail_stale_decp_imports():
    return decp_sweep.fail_stale_imports()
