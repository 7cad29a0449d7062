"""Participants' pages for every role: facilitators and administrators only; outsiders get 404,
everybody else 403 on the lists and 404 on a person's pages, and never sees eligibility details."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Organisation
from partners.roles import Role
from placements.eligibility import CRITERIA
from placements.models import Participant
from tests.partners.factories import OrganisationFactory, user_with_role
from tests.placements.factories import CriterionFactory, ParticipantFactory, PlacementFactory

SENSITIVE_WORDS = ["RSA", "QPV", "RQTH", "handicap", "Justificatif", "Attestation CAF"]


@pytest.fixture
def world(db, users_by_role):
    participant = ParticipantFactory(first_name="Nadia", last_name="Quintanilla-Ferrand")
    CriterionFactory(participant=participant, criterion="RSA")
    CriterionFactory(participant=participant, criterion="QPV", proof="Avis d'imposition")
    today = timezone.localdate()
    PlacementFactory(participant=participant, start_date=today - timedelta(days=100), end_date=None)
    users = dict(users_by_role)
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY, name="PLIE du Pays de Gex")
    users["other_facilitator"] = user_with_role(Role.FACILITATOR, organisation=other_body)
    return {"participant": participant, "users": users}


def list_urls():
    return [
        reverse("placements:participant_list"),
        reverse("placements:participant_create"),
        reverse("placements:candidate_pool"),
    ]


def person_urls(participant):
    return [
        reverse("placements:participant_detail", args=[participant.pk]),
        reverse("placements:participant_update", args=[participant.pk]),
    ]


CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def assert_no_eligibility(response):
    # The random CSRF token of the logout form may spell « QPV » or « RSA » (it failed once so).
    page = CSRF_TOKEN.sub("", html.unescape(response.content.decode()))
    for label in CRITERIA.values():
        assert label not in page
    for word in SENSITIVE_WORDS:
        assert word not in page, word
    assert "Quintanilla" not in page and "QUINTANILLA" not in page


@pytest.mark.parametrize("who", [Role.ADMINISTRATOR, Role.FACILITATOR])
def test_facilitators_and_administrators_reach_every_page(client, world, who):
    client.force_login(world["users"][who])
    for url in list_urls() + person_urls(world["participant"]):
        response = client.get(url)
        assert response.status_code == 200, url
    detail = client.get(person_urls(world["participant"])[0]).content.decode()
    assert "Bénéficiaire du RSA" in detail
    listed = client.get(reverse("placements:participant_list")).context["page"].object_list
    assert [p.pk for p in listed] == [world["participant"].pk]


@pytest.mark.parametrize("who", [Role.DEPARTMENT_READER, Role.EMPLOYER, Role.BUYER])
def test_other_roles_get_403_on_lists_and_404_on_a_person(client, world, who):
    client.force_login(world["users"][who])
    for url in list_urls():
        for response in (client.get(url), client.post(url, {"first_name": "X"})):
            assert response.status_code == 403, url
            assert_no_eligibility(response)
    for url in person_urls(world["participant"]):
        for response in (client.get(url), client.post(url, {"first_name": "X"})):
            assert response.status_code == 404, url
            assert_no_eligibility(response)
    assert Participant.objects.count() == 1
    assert Participant.objects.get().first_name == "Nadia"


def test_read_only_reader_cannot_create_nor_change(client, world, department_reader):
    client.force_login(department_reader)
    response = client.post(reverse("placements:participant_create"), {"first_name": "Marc", "last_name": "Roux"})
    assert response.status_code == 403
    response = client.post(
        reverse("placements:participant_update", args=[world["participant"].pk]), {"first_name": "Changé"}
    )
    assert response.status_code == 404
    world["participant"].refresh_from_db()
    assert world["participant"].first_name == "Nadia"
    assert not Participant.objects.filter(last_name="Roux").exists()


def test_facilitator_of_another_body_gets_404_on_a_person_of_the_department(client, world):
    client.force_login(world["users"]["other_facilitator"])
    for url in person_urls(world["participant"]):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"first_name": "Changé"}).status_code == 404, url
    world["participant"].refresh_from_db()
    assert world["participant"].first_name == "Nadia"
    # Their own lists work, without the Département's people.
    for url in (reverse("placements:participant_list"), reverse("placements:candidate_pool")):
        response = client.get(url)
        assert response.status_code == 200
        assert list(response.context["page"].object_list) == []
        assert "Quintanilla" not in response.content.decode()


def test_anonymous_users_are_sent_to_the_login_page(client, world):
    for url in list_urls() + person_urls(world["participant"]):
        response = client.get(url)
        assert response.status_code == 302 and "/compte/login/" in response.url
