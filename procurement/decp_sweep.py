"""DECP imports whose worker died are marked failed so they can be run again (partners/job_sweep.py)."""

from partners import job_sweep

from .models import DecpImport

STALE_ERROR = (
    "L'import s'est interrompu (le traitement en arrière-plan a été arrêté). Les marchés lus avant "
    "ont été enregistrés ; relancez-le et, si l'échec se reproduit, prévenez l'administrateur de Clausier."
)


def fail_stale_imports(now=None):
    return job_sweep.fail_stale(DecpImport, STALE_ERROR, now)


def fail_if_stale(decp_import, now=None):
    return job_sweep.fail_if_stale(decp_import, STALE_ERROR, now)
