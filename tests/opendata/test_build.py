"""Building the dataset of a year: rows, DECP id, suppression, schema, bounded queries, the task."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction

from common.dates import today
from opendata import build_requests, schema, services
from opendata.models import OpenDataset
from opendata.tasks import build_dataset, build_previous_year
from procurement.models import PublishedContract
from tests.clauses.factories import ClauseFactory, ContractFactory, LotFactory
from tests.placements.factories import CriterionFactory, PlacementFactory, declared_month, eligible_participant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path


def year():
    return today().year - 1


def lot_of_year(people, criterion="QPV"):
    """A lot running through last year with ``people`` persons, 100 validated hours each in March."""
    y = year()
    contract = ContractFactory(start_date=date(y, 1, 1), end_date=date(y, 12, 31))
    lot = ClauseFactory(lot=LotFactory(contract=contract)).lot
    for _ in range(people):
        person = eligible_participant(birth_date=date(y - 30, 1, 1))
        CriterionFactory(participant=person, criterion=criterion)
        placement = PlacementFactory(participant=person, lot=lot, start_date=date(y, 3, 1), end_date=date(y, 6, 30))
        declared_month(placement, "100", status="validated")
    return lot


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_lot_of_the_year_with_hours_and_people():
    big, small = lot_of_year(6), lot_of_year(2)
    ClauseFactory(lot=LotFactory(contract=ContractFactory(start_date=today(), end_date=today() + timedelta(days=90))))
    text, count = services.csv_text(year())
    found = {row["identifiant_lot"]: row for row in rows(text)}
    assert count == 2 and set(found) == {f"CLAUSIER-LOT-{big.pk}", f"CLAUSIER-LOT-{small.pk}"}
    row = found[f"CLAUSIER-LOT-{big.pk}"]
    assert row["heures_realisees"] == "600.00"
    assert row["heures_exigees"] == "833.00"
    assert row["personnes"] == "6" and row["personnes_rsa"] == "6" and row["personnes_qpv"] == "6"
    assert row["personnes_deld"] == "0" and row["fondement_juridique"] == "L2112-2"
    assert found[f"CLAUSIER-LOT-{small.pk}"]["personnes"] == ""
    assert found[f"CLAUSIER-LOT-{small.pk}"]["secret_statistique"] == "oui"
    assert schema.problems(text) == []


def test_the_decp_national_id_of_a_linked_contract():
    lot = lot_of_year(1)
    PublishedContract.objects.create(
        uid="22010001000019M-1",
        decp_id="M-1",
        buyer_siret="22010001000019",
        subject="Travaux",
        notification_date=date(year(), 1, 1),
        amount=Decimal("100000"),
        review_status=PublishedContract.ReviewStatus.MERGED,
        contract=lot.contract,
    )
    text, _ = services.csv_text(year())
    assert rows(text)[0]["decp_uid"] == "22010001000019M-1"


def test_the_build_reads_a_bounded_number_of_queries(django_assert_max_num_queries):
    lot_of_year(3)
    with django_assert_max_num_queries(5):
        services.csv_text(year())
    for _ in range(4):
        lot_of_year(2)
    with django_assert_max_num_queries(5):
        _, count = services.csv_text(year())
    assert count == 5


def test_the_task_fills_the_row_after_the_commit(django_capture_on_commit_callbacks):
    lot_of_year(5)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        dataset = build_requests.request_build(year())
        assert OpenDataset.objects.get(pk=dataset.pk).status == OpenDataset.Status.QUEUED
    dataset.refresh_from_db()
    assert dataset.status == OpenDataset.Status.DONE and dataset.progress == 100 and dataset.row_count == 1
    assert schema.problems(dataset.file.read().decode()) == []


def test_the_yearly_job_builds_the_year_that_ended():
    lot_of_year(5)
    pk = build_previous_year()
    dataset = OpenDataset.objects.get(pk=pk)
    assert dataset.year == year() and dataset.status == OpenDataset.Status.DONE and dataset.row_count == 1


def test_a_failing_build_is_marked_failed(monkeypatch):
    dataset = OpenDataset.objects.create(year=year())

    def broken(_year):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "csv_text", broken)
    assert build_dataset(dataset.pk) == OpenDataset.Status.FAILED
    dataset.refresh_from_db()
    assert dataset.status == OpenDataset.Status.FAILED and dataset.error
