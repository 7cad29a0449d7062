"""Reports whose worker died are marked failed so they can be re-run (partners/job_sweep.py)."""

from partners import job_sweep
from partners.job_sweep import running_timeout

from .models import Report

__all__ = ["STALE_ERROR", "fail_if_stale", "fail_stale_reports", "running_timeout"]

STALE_ERROR = (
    "La préparation du bilan s'est interrompue (le traitement en arrière-plan a été arrêté). "
    "Relancez-le ; si l'échec se reproduit, prévenez l'administrateur de Clausier."
)


def fail_stale_reports(now=None):
    """Mark failed, with a French message, every report running for longer than the timeout."""
    return job_sweep.fail_stale(Report, STALE_ERROR, now)


def fail_if_stale(report, now=None):
    return job_sweep.fail_if_stale(report, STALE_ERROR, now)
