"""Periodic jobs of placements. Tasks take ids or nothing, never objects."""

import logging
from datetime import date

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import counting
from .emails import overdue_outcome_reminders
from .retention import anonymise_inactive

logger = logging.getLogger(__name__)


@shared_task
def remind_overdue_outcomes(on=None):
    """E-mail each facilitator, once, the outcomes overdue for the people their body follows.

    ``on``: the day of the check as an ISO date (default: today, Europe/Paris). The e-mails
    leave after the transaction commits; a failing address does not stop the others.
    """
    day = date.fromisoformat(on) if on else timezone.localdate()
    with transaction.atomic():
        reminders, unfollowed = overdue_outcome_reminders(day)
        for reminder in reminders:
            transaction.on_commit(reminder.send, robust=True)
    listed = {outcome.pk for reminder in reminders for outcome in reminder.outcomes}
    if unfollowed:
        logger.warning("%d sortie(s) en retard sans facilitateur actif pour les suivre.", len(unfollowed))
    return {
        "emails_sent": len(reminders),
        "outcomes_listed": len(listed),
        "outcomes_without_facilitator": len(unfollowed),
    }


@shared_task
def anonymise_inactive_participants(on=None):
    """Anonymise the people with no activity for ``PERSONAL_DATA_RETENTION_YEARS`` (monthly).

    ``on``: the day of the check as an ISO date (default: today). Logs ids and dates only."""
    found = anonymise_inactive(date.fromisoformat(on) if on else None)
    return {"anonymised": len(found), "ids": [row.pk for row in found]}


@shared_task
def recount_hours(claimed=False, force=False):
    """Recount every line's ``counted`` flag when the counting rules changed (``counting``).

    Run at the worker's start, every night and when a dashboard finds the rules changed; a second
    call while one runs does nothing. ``claimed``: the caller already marked the recount as
    running (the dashboards); ``force``: recount even if the rules did not change."""
    if not (claimed or counting.claim_recount() or force):
        return {"recounted": False, "lines_changed": 0}
    changed = counting.recount_all()
    logger.info("Heures comptées recalculées : %d ligne(s) changée(s).", changed)
    return {"recounted": True, "lines_changed": changed}
