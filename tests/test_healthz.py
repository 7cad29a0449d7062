import pytest
from django.urls import reverse

from config.views import broker_state, workers_state
from tests.services import broker_url, tasks_eager


def test_health_check_is_public_json(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    payload = response.json()
    assert payload["status"] == "ok"
    assert payload["database"]["status"] == "ok"
    assert set(payload) == {"status", "database", "broker", "workers"}


def test_embedded_mode_reports_eager(client, db, settings):
    with tasks_eager(True):
        payload = client.get(reverse("healthz")).json()
    assert payload["broker"] == {"status": "eager"}
    assert payload["workers"] == {"status": "eager"}


@pytest.mark.services
def test_real_broker_is_reported(client, db):
    broker_url()
    with tasks_eager(False):
        payload = client.get(reverse("healthz")).json()
    assert payload["broker"]["status"] == "ok"
    assert payload["workers"]["status"] in {"ok", "none"}


def test_unreachable_broker_is_reported(settings):
    with tasks_eager(False):
        broker = broker_state("redis://127.0.0.1:1/0")
        workers = workers_state(broker)
    assert broker["status"] == "error"
    assert workers == {"status": "unknown"}


def test_post_is_refused(client, db):
    assert client.post(reverse("healthz")).status_code == 405
