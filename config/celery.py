"""The Celery application of Clausier.

Without ``CELERY_BROKER_URL`` the settings make every task run eagerly in-process
(the embedded default); with it, tasks go through the broker to a real worker
(``make worker``).
"""

import logging
import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("clausier")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def recount_hours_if_rules_changed(sender, **kwargs):
    """A worker started with new counting settings recounts the hours at once (placements.counting)."""
    try:
        sender.app.send_task("placements.tasks.recount_hours")
    except Exception:  # the worker must start even if this one message cannot be sent
        logging.getLogger(__name__).exception("Recalcul des heures comptées non demandé au démarrage.")
