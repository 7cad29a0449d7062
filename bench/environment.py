"""`make bench`, the environment of a run: Django set up in this process as the bench needs it,
the machine and PostgreSQL's version (noted in the results)."""

import os
import platform
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.cpu import cpu_model

ROOT = Path(__file__).resolve().parent.parent


def setup_django(url, broker, storage):
    os.environ["DATABASE_URL"] = url
    os.environ["CELERY_BROKER_URL"] = broker
    os.environ["CELERY_RESULT_BACKEND"] = broker
    os.environ["DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["PRIVATE_STORAGE_ROOT"] = storage
    # The dashboards' cache in Redis, as in production, in a database of its own (the bench empties it).
    os.environ.setdefault("CACHE_URL", urlunsplit(urlsplit(broker)._replace(path="/4")))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    from config.startup import tune_garbage_collector

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    tune_garbage_collector()  # as config/wsgi.py does in production


def machine():
    return {
        "cores": os.cpu_count(),
        "cpu_model": cpu_model(),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def postgres_version():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]
