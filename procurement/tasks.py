"""Jobs of the DECP import: the import itself, the nightly import from the API, the sweep of
imports left running by a worker that died (design.md, Jobs: a row first, the task after)."""

from celery import shared_task

from . import decp_intake, decp_sweep


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_decp_import(decp_import_id):
    decp_import = decp_intake.run(decp_import_id)
    return decp_import.status


@shared_task
def import_decp_from_api():
    """Every night: the territory's contracts published since the last API import."""
    decp_import, _ = decp_intake.request_api_import()
    return decp_import.pk


@shared_task
def fail_stale_decp_imports():
    return decp_sweep.fail_stale_imports()
