"""The shared client of outside services, against a local stand-in server (pytest-httpserver)."""

import pytest
from werkzeug import Response

from partners.http_client import JsonClient, ServiceUnavailable


class FakeClock:
    """A monotonic clock that only moves when the client sleeps."""

    def __init__(self):
        self.now = 100.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


def client_for(httpserver, clock, **options):
    return JsonClient(
        httpserver.url_for("/"),
        service="L'API de test",
        hint="Saisissez à la main.",
        timeout=2,
        sleep=clock.sleep,
        clock=clock,
        **options,
    )


def test_requests_are_spaced_out_for_a_rate_limited_service(httpserver):
    httpserver.expect_request("/search").respond_with_json({"results": []})
    clock = FakeClock()
    with client_for(httpserver, clock, min_interval=1 / 7) as client:
        for _ in range(3):
            client.get("search", {"q": "x"})
    assert clock.sleeps == [0.143, 0.143] and client.requests_sent == 3


def test_a_single_attempt_fails_at_once_with_a_message_for_the_user(httpserver):
    httpserver.expect_request("/search").respond_with_response(Response("busy", status=503))
    clock = FakeClock()
    with client_for(httpserver, clock, attempts=1) as client, pytest.raises(ServiceUnavailable) as raised:
        client.get("search")
    assert str(raised.value) == (
        "L'API de test n'a pas pu être lue : le service est en erreur (503), après 1 essai. Saisissez à la main."
    )
    assert clock.sleeps == []


def test_an_answer_of_the_wrong_shape_is_retried_then_refused(httpserver):
    httpserver.expect_request("/search").respond_with_json(["not", "a", "page"])
    clock = FakeClock()
    client = client_for(httpserver, clock, attempts=3, backoff=0.5, accept=lambda a: isinstance(a, dict))
    with client, pytest.raises(ServiceUnavailable, match="n'a pas la forme attendue, après 3 essais"):
        client.get("search")
    assert clock.sleeps == [0.5, 1.0]


def test_a_refusal_is_not_retried(httpserver):
    httpserver.expect_request("/search").respond_with_response(Response("no", status=400))
    clock = FakeClock()
    with (
        client_for(httpserver, clock) as client,
        pytest.raises(ServiceUnavailable, match=r"refuse la demande \(erreur 400\)"),
    ):
        client.get("search")
    assert client.requests_sent == 1


def test_paths_join_the_base_and_full_links_are_kept():
    client = JsonClient("https://example.test/api/v1/", service="x")
    assert client.url("siaes/") == "https://example.test/api/v1/siaes/"
    assert client.url("") == "https://example.test/api/v1/"
    assert client.url("https://other.test/p?page=2") == "https://other.test/p?page=2"
