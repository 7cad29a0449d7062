"""The Celery application of Clausier.

Without ``CELERY_BROKER_URL`` the settings make every task run eagerly in-process
(the embedded default); with it, tasks go through the broker to a real worker
(``make worker``).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("clausier")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
