"""The DECP import: idempotent on the national key, modifications with history, holders of several
rows, territory, every bad row listed and never half-written, files that cannot be read."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from procurement import decp_intake, decp_requests
from procurement.models import DecpImport, PublishedContract, PublishedHolder, RejectedRow
from tests.procurement.decp_files import BUYER, HOLDER, OTHER_HOLDER, marche, regulatory_json, table_csv, table_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    return tmp_path


def run_file(content, name="decp.csv"):
    decp_import = DecpImport(source=DecpImport.Source.FILE, format=DecpImport.Format.CSV, original_name=name)
    decp_import.file.save(name, ContentFile(content), save=False)
    decp_import.department_code = "01"
    decp_import.save()
    return decp_intake.run(decp_import.pk)


def test_a_table_is_imported_and_a_second_import_changes_nothing():
    content = table_csv([table_row(), table_row(id="2026-002", objet="Voirie de Bourg", montant="80000")])
    first = run_file(content)
    assert first.status == DecpImport.Status.DONE
    assert (first.created_count, first.updated_count, first.unchanged_count, first.rejected_count) == (2, 0, 0, 0)
    assert first.progress == 100 and first.rows_read == 2
    contract = PublishedContract.objects.get(uid=f"{BUYER}2026-001")
    assert contract.amount == Decimal("250000.00")
    assert contract.has_social_consideration and contract.department_code == "01"
    assert contract.last_import == first
    assert [holder.identifier for holder in contract.holders.all()] == [HOLDER]

    again = run_file(content)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert PublishedContract.objects.count() == 2
    assert contract.history.count() == 1


def test_a_modification_updates_amount_duration_and_holders_with_history():
    run_file(table_csv([table_row()]))
    modified = run_file(
        table_csv([table_row(montant="275000", dureeMois="18", titulaire_id=OTHER_HOLDER, titulaire_nom="Autre")])
    )
    assert modified.updated_count == 1
    contract = PublishedContract.objects.get()
    assert (contract.amount, contract.duration_months) == (Decimal("275000.00"), 18)
    assert list(contract.holders.values_list("identifier", flat=True)) == [OTHER_HOLDER]
    amounts = list(contract.history.order_by("history_date").values_list("amount", flat=True))
    assert amounts == [Decimal("250000.00"), Decimal("275000.00")]


def test_the_rows_of_a_contract_with_two_holders_add_up_and_old_versions_are_passed_over():
    rows = [
        table_row(),
        table_row(titulaire_id=OTHER_HOLDER, titulaire_nom="Cotraitant"),
        table_row(montant="1", donneesActuelles="false"),
    ]
    result = run_file(table_csv(rows, delimiter=","))
    assert (result.created_count, result.skipped_count) == (1, 1)
    contract = PublishedContract.objects.get()
    assert contract.amount == Decimal("250000.00")
    assert set(contract.holders.values_list("identifier", flat=True)) == {HOLDER, OTHER_HOLDER}
    again = run_file(table_csv(rows))
    assert again.unchanged_count == 1 and again.updated_count == 0


def test_contracts_outside_the_territory_are_counted_and_left_out():
    rows = [
        table_row(),
        table_row(id="LYON-1", acheteur_departement_code="69", lieuExecution_code="69003"),
        table_row(
            id="LYON-2",
            acheteur_departement_code="69",
            lieuExecution_code="01100",
            lieuExecution_typeCode="Code postal",
        ),
    ]
    result = run_file(table_csv(rows))
    assert (result.created_count, result.skipped_count) == (2, 1)
    assert set(PublishedContract.objects.values_list("decp_id", flat=True)) == {"2026-001", "LYON-2"}


def test_a_buyer_that_clausier_follows_is_of_the_territory_wherever_it_buys(department):
    row = table_row(
        id="X-1", acheteur_departement_code="", lieuExecution_code="75001", lieuExecution_typeCode="Code postal"
    )
    assert run_file(table_csv([row])).created_count == 1
    assert PublishedContract.objects.get().buyer == department


def test_every_bad_row_is_listed_with_its_reason_and_nothing_of_it_is_written():
    rows = [
        table_row(id="OK-1"),
        table_row(id="BAD-1", montant=""),
        table_row(id="BAD-2", acheteur_id="2201000100001"),
        table_row(id="BAD-3", acheteur_id=""),
        table_row(id="BAD-4", titulaire_id="12345"),
        table_row(id="BAD-5", dateNotification="demain"),
        table_row(id="BAD-6", montant="-3"),
        table_row(id="OK-2"),
    ]
    result = run_file(table_csv(rows))
    assert result.status == DecpImport.Status.DONE
    assert (result.created_count, result.rejected_count) == (2, 6)
    rejected = list(RejectedRow.objects.filter(decp_import=result).order_by("position"))
    assert [row.position for row in rejected] == [3, 4, 5, 6, 7, 8]  # lines of the file (header is 1)
    reasons = [row.reason for row in rejected]
    assert reasons[0] == "Montant absent."
    assert reasons[1].startswith("SIRET de l'acheteur de 13 chiffres")
    assert reasons[2].startswith("Acheteur inconnu")
    assert reasons[3].startswith("SIRET du titulaire de 5 chiffres")
    assert reasons[4].startswith("Date de notification illisible")
    assert reasons[5].startswith("Montant négatif")
    assert rejected[0].contract_key == f"{BUYER}BAD-1" and "montant : —" in rejected[0].excerpt
    assert set(PublishedContract.objects.values_list("decp_id", flat=True)) == {"OK-1", "OK-2"}
    assert not PublishedHolder.objects.exclude(published_contract__decp_id__startswith="OK").exists()


def test_a_row_with_more_cells_than_columns_is_refused():
    content = table_csv([table_row()]) + b"a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p;q;r;s;t;u;v\n"
    result = run_file(content)
    assert (result.created_count, result.rejected_count) == (1, 1)
    assert "plus de cellules" in RejectedRow.objects.get().reason


def test_a_regulatory_json_with_modifications_is_imported():
    content = regulatory_json(
        marche(),
        marche(id="2026-102", montant="95 000,00", modifications=[{"modification": {"id": 1, "montant": 99000}}]),
        marche(id="2026-103", montant=None),
    )
    result = run_file(content, name="decp.json")
    assert (result.format, result.created_count, result.rejected_count) == ("json", 2, 1)
    modified = PublishedContract.objects.get(decp_id="2026-102")
    assert (modified.amount, modified.modification_count) == (Decimal("99000.00"), 1)
    assert RejectedRow.objects.get().position == 3


def test_a_broken_json_fails_with_a_clear_message_after_keeping_what_was_read():
    content = regulatory_json(marche())[:-3] + b', {"id": '
    result = run_file(content, name="decp.json")
    assert result.status == DecpImport.Status.FAILED
    assert "illisible après le marché n° 1" in result.error
    assert PublishedContract.objects.count() == 1


def test_a_csv_that_is_not_the_table_fails_with_a_clear_message():
    result = run_file(b"nom;prenom\nDupont;Jean\n")
    assert result.status == DecpImport.Status.FAILED
    assert "n'est pas la table consolidée" in result.error


def test_a_file_in_windows_1252_is_read():
    content = table_csv([table_row(objet="Rénovation de l'école")]).decode("utf-8").encode("cp1252")
    assert run_file(content).created_count == 1
    assert PublishedContract.objects.get().subject == "Rénovation de l'école"


def test_an_import_delivered_twice_runs_once():
    result = run_file(table_csv([table_row()]))
    assert decp_intake.run(result.pk).created_count == 1
    assert PublishedContract.objects.count() == 1


def test_a_failed_import_runs_again_and_lists_only_its_own_rejections():
    result = run_file(table_csv([table_row(montant="")]))
    DecpImport.objects.filter(pk=result.pk).update(status=DecpImport.Status.FAILED)
    again = decp_intake.run(result.pk)
    assert again.status == DecpImport.Status.DONE
    assert RejectedRow.objects.filter(decp_import=result).count() == 1


def test_import_keeps_listing_at_most_the_first_rejections_but_counts_all(monkeypatch):
    monkeypatch.setattr(decp_intake, "MAX_LISTED_REJECTIONS", 2)
    result = run_file(table_csv([table_row(id=f"B-{n}", montant="") for n in range(5)]))
    assert result.rejected_count == 5
    assert RejectedRow.objects.count() == 2


def test_a_dead_import_is_marked_failed_by_the_sweep(settings):
    import datetime

    from django.utils import timezone

    from procurement import decp_sweep, tasks

    settings.REPORT_RUNNING_TIMEOUT_MINUTES = 30
    stale = DecpImport.objects.create(
        source=DecpImport.Source.API,
        format=DecpImport.Format.API,
        status=DecpImport.Status.RUNNING,
        started_at=timezone.now() - datetime.timedelta(hours=2),
    )
    assert tasks.fail_stale_decp_imports() == 1
    stale.refresh_from_db()
    assert stale.status == DecpImport.Status.FAILED and stale.error == decp_sweep.STALE_ERROR


def test_the_nightly_import_is_in_the_beat_and_never_queued_twice(settings):
    from procurement import tasks

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"procurement.tasks.import_decp_from_api", "procurement.tasks.fail_stale_decp_imports"} <= scheduled
    first, created = decp_requests.request_api_import()
    assert created
    DecpImport.objects.filter(pk=first.pk).update(status=DecpImport.Status.RUNNING)
    assert tasks.import_decp_from_api() == first.pk
    assert DecpImport.objects.count() == 1


def test_the_nightly_import_queues_a_new_api_import_and_sends_its_job_after_the_commit(
    django_capture_on_commit_callbacks,
):
    from procurement import tasks

    with django_capture_on_commit_callbacks() as callbacks:
        pk = tasks.import_decp_from_api()
    decp_import = DecpImport.objects.get(pk=pk)
    assert (decp_import.source, decp_import.status) == (DecpImport.Source.API, DecpImport.Status.QUEUED)
    assert len(callbacks) == 1  # run_decp_import, sent once the row is committed


def test_a_batch_never_cuts_between_the_rows_of_one_contract(monkeypatch):
    """The rows of a contract's holders follow each other in the table: a batch ends only after the
    last of them, so that importing the same file again changes nothing."""
    monkeypatch.setattr(decp_intake, "BATCH_SIZE", 1)
    rows = [table_row(), table_row(titulaire_id=OTHER_HOLDER, titulaire_nom="Cotraitant"), table_row(id="2026-002")]
    assert run_file(table_csv(rows)).created_count == 2
    contract = PublishedContract.objects.get(decp_id="2026-001")
    assert contract.holder_ids == ";".join(sorted([HOLDER, OTHER_HOLDER]))
    again = run_file(table_csv(rows))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert contract.history.count() == 1

    without_first = run_file(table_csv(rows[1:]))
    assert (without_first.updated_count, without_first.unchanged_count) == (1, 1)
    contract.refresh_from_db()
    assert list(contract.holders.values_list("identifier", flat=True)) == [OTHER_HOLDER]
    assert contract.history.first().holder_ids == OTHER_HOLDER


def test_rows_of_one_contract_far_apart_add_up_their_holders(monkeypatch):
    monkeypatch.setattr(decp_intake, "BATCH_SIZE", 1)
    rows = [table_row(), table_row(id="2026-002"), table_row(titulaire_id=OTHER_HOLDER, titulaire_nom="Cotraitant")]
    result = run_file(table_csv(rows))
    assert (result.created_count, result.updated_count) == (2, 0)
    contract = PublishedContract.objects.get(decp_id="2026-001")
    assert set(contract.holders.values_list("identifier", flat=True)) == {HOLDER, OTHER_HOLDER}
