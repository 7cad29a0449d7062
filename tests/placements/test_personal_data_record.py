"""The right of access: a participant's whole record, as one readable HTML file."""

import html
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Organisation
from partners.roles import Role
from placements.models import FollowUp, Outcome, PersonalDataAccess
from tests.partners.factories import OrganisationFactory, user_with_role
from tests.placements.factories import (
    CandidacyFactory,
    CriterionFactory,
    ParticipantFactory,
    PlacementFactory,
    declared_month,
)


def record_url(participant):
    return reverse("placements:participant_record", args=[participant.pk])


def person_with_path(placements=1, facilitator=None):
    participant = ParticipantFactory(
        first_name="Yasmina", last_name="Oudjani-Brêche", phone="06 11 22 33 44", notes="Garde d'enfant le mercredi"
    )
    CriterionFactory(participant=participant, criterion="RSA", proof="Attestation CAF de janvier 2026")
    CandidacyFactory(participant=participant, comment="Motivée")
    for index in range(placements):
        placement = PlacementFactory(
            participant=participant, start_date=date(2026, 3 + index, 2), end_date=date(2026, 3 + index, 27)
        )
        FollowUp.objects.create(placement=placement, kind="start", due_date=placement.start_date, notes="Bon départ")
        Outcome.objects.create(placement=placement, moment="exit", due_date=placement.end_date)
        declared_month(placement, "120", status="validated", user=facilitator)
    return participant


def text(response):
    return html.unescape(response.content.decode())


def test_a_facilitator_downloads_the_whole_record(client, facilitator):
    participant = person_with_path(facilitator=facilitator)
    client.force_login(facilitator)
    client.get(reverse("placements:participant_detail", args=[participant.pk]))
    participant.phone = "07 00 00 00 00"
    participant.save()
    response = client.get(record_url(participant))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"dossier-participant-{participant.pk}-" in disposition
    assert "Oudjani" not in disposition  # no name in a file name
    page = text(response)
    for expected in (
        "Dossier de Yasmina OUDJANI-BRÊCHE",
        "07 00 00 00 00",
        "Garde d'enfant le mercredi",
        "Bénéficiaire du RSA",
        "Attestation CAF de janvier 2026",  # the proof seen
        "Maçon ou maçonne",  # the candidacy
        "Motivée",
        "02/03/2026",  # the placement
        "mars 2026",  # hours of the month
        "120",
        "Bon départ",  # the follow-up
        "À la sortie",  # the outcome
        "Historique des modifications",
        "téléphone : 07 00 00 00 00",  # the change, by whom
        "Consultations du dossier",
        "Fiche du participant",  # the page seen before
        "Export du dossier",
    ):
        assert expected in page, expected
    assert str(facilitator) in page
    log = PersonalDataAccess.objects.filter(kind=PersonalDataAccess.Kind.EXPORT).get()
    assert (log.user, log.participant, log.path) == (facilitator, participant, record_url(participant))


def test_the_record_reads_a_fixed_number_of_queries(client, administrator):
    client.force_login(administrator)
    counts = []
    for placements in (1, 3):
        participant = person_with_path(placements)
        client.get(record_url(participant))  # warm the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(record_url(participant)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_an_outsider_gets_404_and_nothing_is_logged(client, db):
    participant = person_with_path()
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY)
    client.force_login(user_with_role(Role.FACILITATOR, organisation=other_body))
    assert client.get(record_url(participant)).status_code == 404
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("role", [Role.DEPARTMENT_READER, Role.EMPLOYER, Role.BUYER])
def test_read_only_and_other_roles_never_reach_a_record(client, users_by_role, role):
    participant = person_with_path()
    client.force_login(users_by_role[role])
    response = client.get(record_url(participant))
    assert response.status_code == 404
    assert "Oudjani" not in text(response)


def test_the_record_is_get_only_and_needs_a_login(client, facilitator):
    participant = person_with_path()
    response = client.get(record_url(participant))
    assert response.status_code == 302 and "/compte/login/" in response.url
    client.force_login(facilitator)
    assert client.post(record_url(participant)).status_code == 405


def test_the_participant_page_links_to_the_record_and_the_erasure(client, facilitator):
    participant = person_with_path()
    client.force_login(facilitator)
    page = text(client.get(reverse("placements:participant_detail", args=[participant.pk])))
    assert record_url(participant) in page and "Télécharger son dossier" in page
    assert reverse("placements:participant_erase", args=[participant.pk]) in page
