"""The import pages: who may upload, ask the API, read the progress and the rejected rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.roles import Role
from procurement.models import DecpImport, PublishedContract, RejectedRow
from tests.procurement.decp_files import table_csv, table_row
from tests.services import tasks_eager

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    return tmp_path


def upload(client, content, name="decp.csv"):
    return client.post(reverse("procurement:import_list"), {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def finished(facilitator, django_capture_on_commit_callbacks, client):
    client.force_login(facilitator)
    with tasks_eager(True), django_capture_on_commit_callbacks(execute=True):
        response = upload(client, table_csv([table_row(), table_row(id="2026-002", montant="")]))
    client.logout()
    return DecpImport.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def test_a_facilitator_uploads_a_file_and_sees_its_outcome_and_rejected_rows(
    client, facilitator, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)
    with tasks_eager(True), django_capture_on_commit_callbacks(execute=True):
        response = upload(client, table_csv([table_row(), table_row(id="2026-002", montant="")]))
    decp_import = DecpImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("procurement:import_detail", args=[decp_import.pk])
    assert decp_import.status == DecpImport.Status.DONE and decp_import.created_by == facilitator
    page = client.get(response.url)
    text = page.content.decode()
    assert "Terminé" in text and "Montant absent." in text and "Examiner les marchés" in text
    assert 'hx-trigger="every 2s"' not in text
    assert PublishedContract.objects.count() == 1


def test_a_running_import_polls_its_progress(client, facilitator):
    decp_import = DecpImport.objects.create(
        source=DecpImport.Source.FILE, format=DecpImport.Format.CSV, status=DecpImport.Status.RUNNING, progress=42
    )
    client.force_login(facilitator)
    fragment = client.get(reverse("procurement:import_status", args=[decp_import.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and 'value="42"' in fragment


def test_the_polling_page_reloads_whole_when_the_import_finishes(client, facilitator, finished):
    """The rejected rows are outside the progress fragment: the page that polled while the worker
    ran must reload to show them (seen in CI, where a real worker finishes after the page loads)."""
    client.force_login(facilitator)
    url = reverse("procurement:import_status", args=[finished.pk])
    polled = client.get(url, headers={"HX-Request": "true"})
    assert polled.status_code == 200 and polled["HX-Refresh"] == "true"
    assert "Montant absent." in client.get(reverse("procurement:import_detail", args=[finished.pk])).content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("decp.xlsx", b"PK\x03\x04", "Format non accepté"),
        ("decp.csv", b"nom;prenom\nDupont;Jean\n", "il lui manque « id » et « montant »"),
        ("decp.json", b"nom;prenom\n", "ne contient pas du JSON"),
        ("decp.csv", b"", "Le fichier soumis est vide"),
    ],
)
def test_a_wrong_file_gets_a_message_next_to_the_field_and_no_import(client, facilitator, name, content, message):
    client.force_login(facilitator)
    response = upload(client, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'class="invalid-feedback' in response.content.decode()
    assert not DecpImport.objects.exists()


def test_an_unreachable_api_gives_a_message_on_the_job_page_not_an_error_page(
    client, facilitator, settings, django_capture_on_commit_callbacks
):
    settings.CLAUSIER = {
        **settings.CLAUSIER,
        "DECP_API_URL": "http://127.0.0.1:9/api/resources/x/data/",
        "DECP_API_BACKOFF_SECONDS": 0,
    }
    client.force_login(facilitator)
    with tasks_eager(True), django_capture_on_commit_callbacks(execute=True):
        posted = client.post(reverse("procurement:import_from_api"))
    decp_import = DecpImport.objects.get()
    assert posted.url == reverse("procurement:import_detail", args=[decp_import.pk])
    response = client.get(posted.url)
    assert response.status_code == 200
    assert decp_import.status == DecpImport.Status.FAILED
    text = response.content.decode().replace("&#x27;", "'")
    assert "L'import n'a pas abouti." in text and "injoignable" in text and "Relancer l'import" in text


def test_an_api_import_asked_twice_is_the_same_job(client, facilitator):
    client.force_login(facilitator)
    client.post(reverse("procurement:import_from_api"))
    response = client.post(reverse("procurement:import_from_api"), follow=True)
    assert DecpImport.objects.count() == 1
    assert "déjà en cours" in response.content.decode()


def test_a_failed_import_is_run_again(client, facilitator, finished, django_capture_on_commit_callbacks):
    DecpImport.objects.filter(pk=finished.pk).update(status=DecpImport.Status.FAILED, error="Coupure")
    client.force_login(facilitator)
    with tasks_eager(True), django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("procurement:import_retry", args=[finished.pk]))
    finished.refresh_from_db()
    assert finished.status == DecpImport.Status.DONE and finished.unchanged_count == 1
    assert RejectedRow.objects.filter(decp_import=finished).count() == 1


def test_a_department_reader_reads_but_may_not_import(client, department_reader, finished):
    client.force_login(department_reader)
    listing = client.get(reverse("procurement:import_list"))
    assert listing.status_code == 200 and "Déposer un fichier" not in listing.content.decode()
    assert client.get(reverse("procurement:import_detail", args=[finished.pk])).status_code == 200
    assert upload(client, table_csv([table_row()])).status_code == 403
    assert client.post(reverse("procurement:import_from_api")).status_code == 403
    assert client.post(reverse("procurement:import_retry", args=[finished.pk])).status_code == 403
    assert DecpImport.objects.count() == 1


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.BUYER])
def test_outsiders_get_a_404(client, users_by_role, role, finished):
    client.force_login(users_by_role[role])
    assert client.get(reverse("procurement:import_list")).status_code == 404
    assert client.get(reverse("procurement:import_detail", args=[finished.pk])).status_code == 404
    assert client.get(reverse("procurement:import_status", args=[finished.pk])).status_code == 404
    assert upload(client, table_csv([table_row()])).status_code == 404
    assert client.post(reverse("procurement:import_from_api")).status_code == 404


def test_the_list_and_the_import_page_do_a_bounded_number_of_queries(
    client, facilitator, django_assert_num_queries, finished
):
    for number in range(5):
        extra = DecpImport.objects.create(source=DecpImport.Source.API, format=DecpImport.Format.API)
        RejectedRow.objects.bulk_create(
            [RejectedRow(decp_import=finished, position=100 + number, reason="Montant absent.")]
        )
        assert extra.pk
    client.force_login(facilitator)
    client.get(reverse("procurement:import_list"))  # the session and the memberships warm up
    with django_assert_num_queries(LIST_QUERIES):
        client.get(reverse("procurement:import_list"))
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(reverse("procurement:import_detail", args=[finished.pk]))


LIST_QUERIES = 4
DETAIL_QUERIES = 6
