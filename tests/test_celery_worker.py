"""A real task through the real broker (Redis) to a real worker started by the test."""

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app as celery_app
from partners.tasks import ping
from tests.services import broker_url


@pytest.mark.services
def test_task_round_trip_through_redis_to_a_worker():
    broker_url()
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
        result = ping.delay("bonjour")
        answer = result.get(timeout=20)
    assert answer["echo"] == "bonjour"
    assert answer["answered_at"]
    assert result.status == "SUCCESS"
    # The worker answered through the broker, not in-process as eager mode would.
    assert celery_app.conf.broker_url.startswith("redis://")
