"""Real services for tests: PostgreSQL, Redis, Chromium.

Locally a test that needs a missing service is skipped; in CI (CI=true) it fails instead.
"""

import contextlib
import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def missing(reason):
    if IN_CI:
        pytest.fail(f"CI: {reason}", pytrace=False)
    pytest.skip(reason)


def broker_url():
    from django.conf import settings

    url = settings.CELERY_BROKER_URL
    if not url:
        missing("CELERY_BROKER_URL n'est pas défini : pas de broker réel")
    return url


def chromium_path():
    if not (os.path.exists(CHROMIUM_PATH) or shutil.which("chromium")):
        missing("Chromium est absent (apt-get install chromium)")
    return CHROMIUM_PATH if os.path.exists(CHROMIUM_PATH) else shutil.which("chromium")


def require_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        missing("DATABASE_URL ne pointe pas vers PostgreSQL")


@contextlib.contextmanager
def tasks_eager(eager):
    """Run Celery tasks in-process (True) or send them to the broker (False), then put it back."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@contextlib.contextmanager
def real_worker():
    """A real worker in a thread, fed by the real broker (Redis); fails in CI without a broker."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    broker_url()
    with (
        tasks_eager(False),
        start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10) as worker,
    ):
        yield worker
