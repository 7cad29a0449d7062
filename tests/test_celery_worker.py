"""A real task through the real broker (Redis) to a real worker started by the test."""

import pytest

from config.celery import app as celery_app
from partners.tasks import ping
from tests.services import real_worker


@pytest.mark.services
def test_task_round_trip_through_redis_to_a_worker():
    with real_worker():
        result = ping.delay("bonjour")
        answer = result.get(timeout=20)
    assert answer["echo"] == "bonjour"
    assert answer["answered_at"]
    assert result.status == "SUCCESS"
    # The worker answered through the broker, not in-process as eager mode would.
    assert celery_app.conf.broker_url.startswith("redis://")
