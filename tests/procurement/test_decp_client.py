"""The tabular API client and the API import, against a local stand-in of data.gouv.fr's tabular API
(pytest-httpserver) answering like the service: pages with ``links.next``, a 429 with Retry-After,
failing pages, a malformed row, a service that cannot be reached."""

import datetime
import socket
from decimal import Decimal

import pytest
from werkzeug import Response

from procurement import decp_intake, decp_requests
from procurement.decp_client import DecpUnavailable, TabularClient, contract_filters
from procurement.models import DecpImport, PublishedContract, RejectedRow
from tests.procurement.decp_files import table_row

RESOURCE = "/api/resources/22847056-61df-452d-837d-8b8ceadbfc52/data/"


def page(httpserver, rows, number, total, has_next):
    following = httpserver.url_for(RESOURCE) + f"?page={number + 1}&page_size=50" if has_next else None
    return {
        "data": rows,
        "links": {"next": following, "prev": None},
        "meta": {"page": number, "page_size": 50, "total": total},
    }


def client_for(httpserver, **options):
    waits = []
    options.setdefault("sleep", waits.append)
    client = TabularClient(httpserver.url_for(RESOURCE), timeout=2, **options)
    return client, waits


def test_pages_are_followed_with_the_filters(httpserver):
    first = [table_row(id=f"2026-{n:03d}") for n in range(50)]
    second = [table_row(id="2026-999")]
    httpserver.expect_ordered_request(
        RESOURCE,
        query_string={
            "acheteur_departement_code__exact": "01",
            "donneesActuelles__exact": "true",
            "dateNotification__sort": "asc",
            "dateNotification__greater": "2026-01-01",
            "page": "1",
            "page_size": "50",
        },
    ).respond_with_json(page(httpserver, first, 1, 51, True))
    httpserver.expect_ordered_request(RESOURCE, query_string="page=2&page_size=50").respond_with_json(
        page(httpserver, second, 2, 51, False)
    )
    client, _ = client_for(httpserver)
    with client:
        rows = list(client.rows(contract_filters("01", datetime.date(2026, 1, 1))))
    assert len(rows) == 51 and client.total == 51
    httpserver.check_assertions()


def test_a_429_is_waited_for_as_the_service_asks(httpserver):
    httpserver.expect_ordered_request(RESOURCE).respond_with_response(
        Response("Too Many Requests", status=429, headers={"Retry-After": "3"})
    )
    httpserver.expect_ordered_request(RESOURCE).respond_with_json(page(httpserver, [table_row()], 1, 1, False))
    client, waits = client_for(httpserver)
    assert len(list(client.rows({}))) == 1
    assert waits == [3.0]


def test_failing_pages_are_retried_with_growing_waits_then_reported(httpserver):
    for _ in range(4):
        httpserver.expect_ordered_request(RESOURCE).respond_with_data("boom", status=503)
    client, waits = client_for(httpserver, backoff=0.5)
    with pytest.raises(DecpUnavailable, match=r"en erreur \(503\), après 4 essais"):
        list(client.rows({}))
    assert waits == [0.5, 1.0, 2.0]


def test_a_page_that_is_not_json_is_retried(httpserver):
    httpserver.expect_ordered_request(RESOURCE).respond_with_data("<html>maintenance</html>", status=200)
    httpserver.expect_ordered_request(RESOURCE).respond_with_json(page(httpserver, [table_row()], 1, 1, False))
    client, waits = client_for(httpserver)
    assert len(list(client.rows({}))) == 1 and len(waits) == 1


def test_a_refused_request_is_not_retried(httpserver):
    httpserver.expect_ordered_request(RESOURCE).respond_with_data("not found", status=404)
    client, waits = client_for(httpserver)
    with pytest.raises(DecpUnavailable, match="erreur 404"):
        list(client.rows({}))
    assert waits == []


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_the_api_import_writes_the_rows_and_lists_the_malformed_one(httpserver):
    rows = [table_row(), "not a row", table_row(id="2026-002", montant=None), table_row(id="2026-003", montant="9,5")]
    httpserver.expect_request(RESOURCE).respond_with_json(page(httpserver, rows, 1, 4, False))
    decp_import, created = decp_requests.request_api_import()
    assert created
    result = decp_intake.run(decp_import.pk, client_factory=lambda: client_for(httpserver)[0])
    assert result.status == DecpImport.Status.DONE
    assert (result.created_count, result.rejected_count, result.rows_expected, result.rows_read) == (2, 2, 4, 4)
    assert PublishedContract.objects.get(decp_id="2026-003").amount == Decimal("9.50")
    reasons = list(RejectedRow.objects.order_by("position").values_list("position", "reason"))
    assert reasons == [(2, "Ligne illisible (ce n'est pas un enregistrement de la table)."), (3, "Montant absent.")]


@pytest.mark.django_db
def test_an_unreachable_api_gives_a_clear_message_on_the_job(settings):
    settings.CLAUSIER = {**settings.CLAUSIER, "DECP_API_URL": f"http://127.0.0.1:{closed_port()}{RESOURCE}"}
    decp_import, _ = decp_requests.request_api_import()

    def factory():
        return TabularClient(settings.CLAUSIER["DECP_API_URL"], timeout=1, attempts=2, sleep=lambda _: None)

    result = decp_intake.run(decp_import.pk, client_factory=factory)
    assert result.status == DecpImport.Status.FAILED
    assert "injoignable, après 2 essais" in result.error and "déposez le fichier" in result.error


@pytest.mark.django_db
def test_the_next_api_import_asks_only_for_recent_contracts(httpserver):
    httpserver.expect_request(RESOURCE).respond_with_json(
        page(httpserver, [table_row(dateNotification="2026-09-01")], 1, 1, False)
    )
    first, _ = decp_requests.request_api_import()
    decp_intake.run(first.pk, client_factory=lambda: client_for(httpserver)[0])
    second, created = decp_requests.request_api_import()
    assert created and second.notified_since == datetime.date(2026, 8, 1)
