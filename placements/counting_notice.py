"""The notice of the dashboards while the hours are recounted (``counting``), and the start of that
recount when the rules changed: apart from ``counting`` so that the job module, which calls the
counting, and this one do not import each other."""

import logging

from django.core.cache import cache
from django.db import transaction

from . import counting
from .tasks import recount_hours

logger = logging.getLogger(__name__)


def dashboard_notice():
    """For the dashboards: start the recount if the rules changed and no job runs it, then the
    notice to show while the figures are being recomputed (None when they are current).

    Once the stored rules are found current they stay so until the settings or the rule change,
    which changes the cache key: a dashboard seen again does not read the row."""
    key = counting.current_key(counting.current_rules())
    try:
        if cache.get(key):
            return None
    except Exception:  # the cache is a shortcut: without it, read the row
        logger.exception("Cache injoignable : règles de décompte lues en base.")
    row = counting.stored_rules()
    if counting.is_current(row):
        try:
            cache.set(key, True, timeout=None)
        except Exception:
            logger.exception("Cache injoignable : règles de décompte relues à la prochaine page.")
        return None
    if counting.claim_recount(row):
        transaction.on_commit(lambda: recount_hours.delay(claimed=True))
        row.refresh_from_db()
    return counting.recount_pending(row)
