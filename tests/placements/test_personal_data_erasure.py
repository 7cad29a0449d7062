"""Erasure on request: the person is anonymised, their row and its history keep no name, the
figures of the Département stay the same."""

import html
from datetime import date

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from partners.models import Organisation
from partners.roles import Role
from placements.models import (
    Candidacy,
    EligibilityCriterion,
    FollowUp,
    Outcome,
    Participant,
    PersonalDataAccess,
    Placement,
)
from placements.personal_data import anonymise, reduced_birth_date
from reporting import indicators
from reporting.rules import Period
from reporting.scope import Scope
from tests.partners.factories import OrganisationFactory, user_with_role
from tests.placements.factories import CandidacyFactory, CriterionFactory, ParticipantFactory, PlacementFactory
from tests.reporting import dataset

NAMES = ("Gwendoline", "Kerouac-Lemaître")
PERSONAL = ("12 impasse des Saules", "gwen.k@example.fr", "06 98 76 54 32", "Mme Roussel, MDS de Belley")


def erase_url(participant):
    return reverse("placements:participant_erase", args=[participant.pk])


@pytest.fixture
def person(facilitator):
    participant = ParticipantFactory(
        first_name=NAMES[0],
        last_name=NAMES[1],
        birth_date=date(1991, 8, 23),
        address=PERSONAL[0],
        email=PERSONAL[1],
        phone=PERSONAL[2],
        referent=PERSONAL[3],
        availability="Disponible sauf le mardi",
        notes="Suivie pour sa dette de loyer",
    )
    CriterionFactory(participant=participant, criterion="RSA", proof="Attestation CAF n° 778899")
    participant.phone = "07 11 11 11 11"  # a second historical row with personal data
    participant.save()
    placement = PlacementFactory(participant=participant, start_date=date(2026, 3, 2), end_date=date(2026, 6, 30))
    FollowUp.objects.create(placement=placement, kind="start", due_date=date(2026, 3, 2), notes="Appel à Gwendoline")
    Outcome.objects.create(placement=placement, moment="exit", due_date=date(2026, 6, 30), notes="Parle de Gwendoline")
    CandidacyFactory(participant=participant, comment="Gwendoline est motivée")
    LogEntry.objects.log_actions(
        user_id=facilitator.pk, queryset=[participant], action_flag=CHANGE, change_message="Changé"
    )
    return participant


def assert_nothing_personal(participant):
    rows = [Participant.objects.filter(pk=participant.pk).values().get()]
    rows += list(Participant.history.filter(id=participant.pk).values())
    assert len(rows) >= 4
    for row in rows:
        flat = " ".join(str(value) for value in row.values())
        for word in NAMES + PERSONAL + ("1991-08-23", "dette de loyer", "sauf le mardi"):
            assert word not in flat, (word, row)
        # Born on 23 August, first placed on 2 March: 31 December keeps their age at entry.
        assert row["birth_date"] == date(1991, 12, 31)
        assert row["first_name"] == "Personne" and row["last_name"] == f"anonymisée n° {participant.pk}"
    texts = list(EligibilityCriterion.history.filter(participant_id=participant.pk).values_list("proof", flat=True))
    texts += list(EligibilityCriterion.objects.filter(participant=participant).values_list("proof", flat=True))
    assert texts and set(texts) == {""}
    for queryset, field in (
        (FollowUp.objects.filter(placement__participant=participant), "notes"),
        (FollowUp.history.filter(placement__participant=participant), "notes"),
        (Outcome.objects.filter(placement__participant=participant), "notes"),
        (Outcome.history.filter(placement__participant=participant), "notes"),
        (Candidacy.objects.filter(participant=participant), "comment"),
        (Candidacy.history.filter(participant_id=participant.pk), "comment"),
    ):
        assert set(queryset.values_list(field, flat=True)) == {""}
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Participant), object_id=str(participant.pk)
    )
    assert entries.exists() and all(NAMES[0] not in entry.object_repr for entry in entries)


def test_a_facilitator_anonymises_after_confirming(client, facilitator, person):
    client.force_login(facilitator)
    page = html.unescape(client.get(erase_url(person)).content.decode())
    assert "Anonymiser définitivement" in page and "ne sont pas supprimés" in page
    response = client.post(erase_url(person), {"reason": "Demande écrite du 12/03/2026", "confirm": "on"})
    assert response.status_code == 302
    assert response.url == reverse("placements:participant_detail", args=[person.pk])
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert_nothing_personal(person)
    latest = person.history.latest()
    assert latest.history_user == facilitator and "Demande écrite du 12/03/2026" in latest.history_change_reason
    log = PersonalDataAccess.objects.get(kind=PersonalDataAccess.Kind.ERASURE)
    assert (log.user, log.participant, log.reason) == (facilitator, person, "Demande écrite du 12/03/2026")
    # Figures kept: sex, RSA, criteria codes, the placement and its outcome.
    assert (person.sex, person.rsa_at_entry) == ("F", True)
    assert list(person.criteria.values_list("criterion", flat=True)) == ["RSA"]
    assert Placement.objects.filter(participant=person).count() == 1
    page = html.unescape(client.get(response.url).content.decode())
    assert "Anonymisé(e) le" in page and NAMES[1].upper() not in page and "Anonymiser</a>" not in page


def test_a_reason_and_a_confirmation_are_required(client, facilitator, person):
    client.force_login(facilitator)
    response = client.post(erase_url(person), {"reason": " "})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Indiquez pourquoi" in page and "Cochez la case" in page
    person.refresh_from_db()
    assert person.last_name == NAMES[1] and person.anonymised_at is None


def test_an_administrator_may_anonymise(client, administrator, person):
    client.force_login(administrator)
    assert client.post(erase_url(person), {"reason": "Demande", "confirm": "on"}).status_code == 302
    assert Participant.objects.get(pk=person.pk).anonymised_at is not None


def test_an_outsider_gets_404(client, person):
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY)
    client.force_login(user_with_role(Role.FACILITATOR, organisation=other_body))
    assert client.get(erase_url(person)).status_code == 404
    assert client.post(erase_url(person), {"reason": "x", "confirm": "on"}).status_code == 404
    assert Participant.objects.get(pk=person.pk).last_name == NAMES[1]


@pytest.mark.parametrize("role", [Role.DEPARTMENT_READER, Role.EMPLOYER, Role.BUYER])
def test_read_only_and_other_roles_cannot_anonymise(client, users_by_role, person, role):
    client.force_login(users_by_role[role])
    response = client.post(erase_url(person), {"reason": "x", "confirm": "on"})
    assert response.status_code == 404  # no such role sees a participant: 404, as for their pages
    assert Participant.objects.get(pk=person.pk).anonymised_at is None
    assert not PersonalDataAccess.objects.exists()


def test_a_second_anonymisation_changes_nothing(client, facilitator, person):
    anonymise(person, user=facilitator, reason="Demande")
    client.force_login(facilitator)
    response = client.post(erase_url(person), {"reason": "Encore", "confirm": "on"})
    assert response.status_code == 302
    assert PersonalDataAccess.objects.filter(kind=PersonalDataAccess.Kind.ERASURE).count() == 1


@pytest.mark.parametrize(
    "birth, first_start, expected",
    [
        (date(2000, 6, 1), date(2026, 3, 1), date(2000, 12, 31)),  # 25 at entry: 1 January would say 26
        (date(2000, 2, 1), date(2026, 3, 1), date(2000, 1, 1)),  # birthday passed: 1 January
        (date(1976, 12, 31), date(2026, 12, 31), date(1976, 1, 1)),
        (date(1976, 5, 5), None, date(1976, 1, 1)),  # never placed
    ],
)
def test_the_birth_date_keeps_only_the_year_and_the_age_at_entry(birth, first_start, expected):
    assert reduced_birth_date(birth, first_start) == expected


def test_the_figures_are_the_same_after_anonymising_everybody(facilitator):
    world = dataset.build()
    # Someone of 25 at entry, whose birthday comes later in the year: still under 26 once anonymised.
    young = ParticipantFactory(birth_date=date(2000, 6, 1), sex="M", rsa_at_entry=False)
    CriterionFactory(participant=young, criterion="JEUNE")
    lot = world["lots"][0]
    PlacementFactory(participant=young, lot=lot, employer=lot.awards.first().company, start_date=date(2026, 3, 2))
    period = Period.year(2026)
    before = indicators.compute(period, Scope(), on=dataset.ON)
    assert before.profile.age_bands["under_26"] == 2  # Bruno (22) and this young man (25)
    for participant in Participant.objects.all():
        anonymise(participant, user=facilitator, reason="Test")
    assert not Participant.objects.filter(anonymised_at__isnull=True).exists()
    after = indicators.compute(period, Scope(), on=dataset.ON)
    assert after.profile == before.profile
    assert after == before


def test_an_anonymised_person_leaves_the_candidate_pool(client, facilitator, person):
    client.force_login(facilitator)
    pool = reverse("placements:candidate_pool")
    Placement.objects.filter(participant=person).delete()
    assert [p.pk for p in client.get(pool).context["page"].object_list] == [person.pk]
    anonymise(person, user=facilitator, reason="Demande")
    assert list(client.get(pool).context["page"].object_list) == []
