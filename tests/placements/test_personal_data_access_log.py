"""The access log of personal data: the participant's page and the proof files write it; the
administrators read it, and only read it, in the admin."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.roles import Role
from placements.models import DeclarationProof, PersonalDataAccess
from tests.placements.factories import ParticipantFactory, PlacementFactory, declared_month
from tests.portal.test_proofs import PDF, upload


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    return tmp_path


def test_the_participant_page_logs_who_saw_whom(client, facilitator):
    participant = ParticipantFactory()
    client.force_login(facilitator)
    url = reverse("placements:participant_detail", args=[participant.pk])
    assert client.get(url + "?onglet=parcours").status_code == 200
    row = PersonalDataAccess.objects.get()
    assert (row.user, row.participant, row.kind) == (facilitator, participant, PersonalDataAccess.Kind.PAGE)
    assert row.path == url + "?onglet=parcours" and row.at is not None


def test_a_page_refused_is_not_logged(client, department_reader):
    participant = ParticipantFactory()
    client.force_login(department_reader)
    assert client.get(reverse("placements:participant_detail", args=[participant.pk])).status_code == 404
    assert not PersonalDataAccess.objects.exists()


@pytest.fixture
def proof_of_two_people(client, employer):
    company = employer.memberships.get().organisation
    first, second = PlacementFactory(employer=company), PlacementFactory(employer=company)
    declared_month(first, "35", status="draft")
    declared_month(second, "70", status="draft")
    client.force_login(employer)
    declaration = first.declaration_lines.get().declaration
    upload(client, declaration, "bulletins.pdf", PDF)
    client.logout()
    return DeclarationProof.objects.get(), {first.participant, second.participant}


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.FACILITATOR, Role.ADMINISTRATOR])
def test_a_proof_download_logs_one_row_per_person_in_one_insert(client, users_by_role, proof_of_two_people, role):
    proof, people = proof_of_two_people
    user = users_by_role[role]
    client.force_login(user)
    url = reverse("placements:proof_download", args=[proof.pk])
    client.get(url)  # warm the session and the user's memberships
    PersonalDataAccess.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and "placements_personaldataaccess" in inserts[0]
    rows = PersonalDataAccess.objects.all()
    assert {row.participant for row in rows} == people
    assert {(row.user, row.kind, row.path) for row in rows} == {(user, PersonalDataAccess.Kind.PROOF, url)}


def test_a_download_refused_is_not_logged(client, buyer, proof_of_two_people):
    proof, _people = proof_of_two_people
    client.force_login(buyer)
    assert client.get(reverse("placements:proof_download", args=[proof.pk])).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_administrators_read_the_log_in_the_admin_without_changing_it(client, administrator, facilitator):
    participant = ParticipantFactory(last_name="Vasquez-Morel")
    other = ParticipantFactory(last_name="Zimmermann")
    client.force_login(facilitator)
    client.get(reverse("placements:participant_detail", args=[participant.pk]))
    client.get(reverse("placements:participant_detail", args=[other.pk]))
    client.force_login(administrator)
    changelist = reverse("admin:placements_personaldataaccess_changelist")
    response = client.get(changelist, {"q": "Vasquez"})
    assert response.status_code == 200
    assert [row.participant for row in response.context["cl"].result_list] == [participant]
    response = client.get(changelist, {"user__id__exact": facilitator.pk, "at__year": participant.created_at.year})
    assert response.context["cl"].result_count == 2
    row = PersonalDataAccess.objects.first()
    assert client.get(reverse("admin:placements_personaldataaccess_add")).status_code == 403
    change = reverse("admin:placements_personaldataaccess_change", args=[row.pk])
    assert client.get(change).status_code == 200  # read only
    assert client.post(change, {"reason": "changé"}).status_code == 403
    delete = reverse("admin:placements_personaldataaccess_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert PersonalDataAccess.objects.count() == 2
    client.force_login(facilitator)
    assert client.get(changelist).status_code == 302
