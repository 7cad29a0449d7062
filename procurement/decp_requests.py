"""Asking for a DECP import: the row first, the job after the commit (design.md, Jobs). Apart from
``decp_intake`` so that the job module, which calls the intake, and this one do not import each
other."""

from django.db import transaction

from . import decp_intake
from .tasks import run_decp_import


def _send(decp_import):
    pk = decp_import.pk
    transaction.on_commit(lambda: run_decp_import.delay(pk))


def request_file_import(user, uploaded):
    decp_import = decp_intake.new_file_import(user, uploaded)
    _send(decp_import)
    return decp_import


def request_api_import(user=None, notified_since=None):
    """Queue an import from the tabular API, unless one is already queued or running."""
    decp_import, created = decp_intake.new_api_import(user, notified_since)
    if created:
        _send(decp_import)
    return decp_import, created


def retry_import(decp_import):
    decp_intake.requeue(decp_import)
    _send(decp_import)
