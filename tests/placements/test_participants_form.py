"""Creating and changing a participant with their eligibility criteria: one all-or-nothing form."""

import html
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clauses.models import Trade
from partners.models import Commune, Organisation
from partners.roles import Role
from placements.eligibility import add_months
from placements.models import EligibilityCriterion, Participant
from tests.partners.factories import OrganisationFactory, user_with_role
from tests.placements.factories import CriterionFactory, ParticipantFactory

CREATE_URL = reverse("placements:participant_create")


def today():
    return timezone.localdate()


def iso(day):
    return day.isoformat()


def criteria_data(rows, initial=0):
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": str(initial),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"criteria-{index}-{name}"] = value
    return data


def rsa_row(**overrides):
    row = {"criterion": "RSA", "assessed_on": iso(today() - timedelta(days=3)), "proof": "Attestation CAF d'octobre"}
    row.update(overrides)
    return row


def participant_data(rows=None, initial=0, **overrides):
    data = {
        "first_name": "Samia",
        "last_name": "Bensaïd",
        "birth_date": "1990-05-04",
        "sex": "F",
        "commune": Commune.objects.get(insee_code="01053").pk,
        "address": "12 rue des Tilleuls",
        "email": "samia.bensaid@example.fr",
        "phone": "06 12 34 56 78",
        "education_level": "cap_bep",
        "mobility": "licence",
        "wished_trades": [Trade.objects.get(name="Nettoyage des locaux").pk],
        "availability": "Immédiate",
        "prescriber": "",
        "referent": "Mme Durand, CDS de Bourg",
        "rsa_at_entry": "on",
        "data_information_date": iso(today() - timedelta(days=10)),
        "notes": "",
    }
    data.update(criteria_data([rsa_row()] if rows is None else rows, initial))
    data.update(overrides)
    return data


def page_of(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def prescriber(db):
    return OrganisationFactory(
        kind=Organisation.Kind.EMPLOYMENT_SERVICE, name="France Travail Oyonnax", service_kind="france_travail"
    )


# Create ------------------------------------------------------------------------------------


def test_the_empty_form_shows_the_criteria_rows(client, facilitator):
    client.force_login(facilitator)
    response = client.get(CREATE_URL)
    assert response.status_code == 200
    page = page_of(response)
    assert "Critères d'éligibilité" in page and "Critère n° 2" in page
    assert 'name="facilitation_body"' not in page
    assert "Je confirme qu'il s'agit d'une autre personne" not in page


def test_facilitator_creates_a_participant_with_criteria(client, facilitator, prescriber):
    client.force_login(facilitator)
    rows = [
        rsa_row(),
        {"criterion": "QPV", "assessed_on": iso(today()), "proof": "", "confirming_prescriber": prescriber.pk},
    ]
    response = client.post(CREATE_URL, participant_data(rows, facilitation_body=OrganisationFactory().pk))
    participant = Participant.objects.get(last_name="Bensaïd")
    assert response.status_code == 302
    assert response.url == reverse("placements:participant_detail", args=[participant.pk])
    assert participant.facilitation_body == Organisation.objects.department().get()
    assert participant.rsa_at_entry and participant.mobility == "licence"
    assert [t.name for t in participant.wished_trades.all()] == ["Nettoyage des locaux"]
    criteria = {c.criterion: c for c in participant.criteria.all()}
    assert set(criteria) == {"RSA", "QPV"}
    assert criteria["QPV"].confirming_prescriber == prescriber
    assert all(c.validated_by == facilitator for c in criteria.values())
    assert "La fiche de Samia Bensaïd est créée" in page_of(client.get(response.url))


def test_administrator_creates_for_the_department(client, administrator):
    client.force_login(administrator)
    client.post(CREATE_URL, participant_data())
    participant = Participant.objects.get(last_name="Bensaïd")
    assert participant.facilitation_body == Organisation.objects.department().get()
    assert participant.criteria.get().validated_by == administrator


def test_facilitator_of_another_body_creates_for_their_body(client, db):
    body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY, name="Maison de l'emploi de Bourg")
    client.force_login(user_with_role(Role.FACILITATOR, organisation=body))
    client.post(CREATE_URL, participant_data())
    assert Participant.objects.get(last_name="Bensaïd").facilitation_body == body


def test_a_criterion_is_required(client, facilitator):
    client.force_login(facilitator)
    response = client.post(CREATE_URL, participant_data(rows=[]))
    assert response.status_code == 200
    assert "Indiquez au moins un critère d'éligibilité" in page_of(response)
    assert not Participant.objects.exists()


def test_an_untouched_extra_row_does_not_count_as_a_criterion(client, facilitator):
    client.force_login(facilitator)
    response = client.post(CREATE_URL, participant_data(rows=[{"assessed_on": iso(today())}]))
    assert "Indiquez au moins un critère d'éligibilité" in page_of(response)
    assert not Participant.objects.exists()


def test_a_criterion_needs_a_proof_or_a_prescriber(client, facilitator):
    client.force_login(facilitator)
    response = client.post(CREATE_URL, participant_data(rows=[rsa_row(proof="  ")]))
    assert response.status_code == 200
    page = page_of(response)
    assert "Indiquez le justificatif vu ou le prescripteur qui confirme ce critère." in page
    assert "Critère n° 1, justificatif vu" in page  # the summary links to the field
    assert not Participant.objects.exists() and not EligibilityCriterion.objects.exists()


def test_a_derogation_needs_a_prescriber(client, facilitator):
    client.force_login(facilitator)
    rows = [rsa_row(criterion="DEROGATION", proof="Courrier de l'assistante sociale")]
    response = client.post(CREATE_URL, participant_data(rows=rows))
    assert "Une dérogation exige l'avis motivé d'un prescripteur" in page_of(response)
    assert not Participant.objects.exists()


def test_the_same_criterion_twice_is_refused(client, facilitator):
    client.force_login(facilitator)
    response = client.post(CREATE_URL, participant_data(rows=[rsa_row(), rsa_row(proof="Attestation de paiement")]))
    assert "Ce critère est déjà indiqué" in page_of(response)
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "row", "message"),
    [
        ({"data_information_date": "FUTURE"}, {}, "La date d'information ne peut pas être dans le futur."),
        ({}, {"assessed_on": "FUTURE"}, "La date d'appréciation ne peut pas être dans le futur."),
        ({"birth_date": "TOO_YOUNG"}, {}, "La personne doit avoir au moins 16 ans"),
        ({"birth_date": "1930-01-01"}, {}, "La personne doit avoir au plus 80 ans"),
        ({}, {"assessed_on": "1985-01-01"}, "La date d'appréciation ne peut pas précéder la date de naissance."),
        (
            {"data_information_date": "1989-01-01"},
            {},
            "La date d'information ne peut pas précéder la date de naissance.",
        ),
        ({"birth_date": "04/05/1990x"}, {}, "Saisissez une date valide."),
    ],
)
def test_dates_that_contradict_each_other_are_refused(client, facilitator, overrides, row, message):
    future = iso(today() + timedelta(days=1))
    too_young = iso(add_months(today(), -15 * 12))  # 28 February from a 29 February
    replace = {"FUTURE": future, "TOO_YOUNG": too_young}
    overrides = {k: replace.get(v, v) for k, v in overrides.items()}
    row = {k: replace.get(v, v) for k, v in row.items()}
    client.force_login(facilitator)
    response = client.post(CREATE_URL, participant_data(rows=[rsa_row(**row)], **overrides))
    assert response.status_code == 200
    assert message in page_of(response)
    assert not Participant.objects.exists()


def test_missing_required_fields_are_reported_in_french(client, facilitator):
    client.force_login(facilitator)
    response = client.post(CREATE_URL, participant_data(first_name="", data_information_date=""))
    page = page_of(response)
    assert "Le formulaire n'est pas enregistré" in page
    assert page.count("Ce champ est obligatoire.") >= 2
    assert not Participant.objects.exists()


# Possible duplicates -----------------------------------------------------------------------


def test_a_duplicate_followed_elsewhere_is_flagged_without_showing_them(client, facilitator):
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY, name="PLIE d'Oyonnax")
    hidden = ParticipantFactory(
        first_name="SAMIA",
        last_name="bensaïd",
        birth_date=date(1990, 5, 4),
        facilitation_body=other_body,
        commune=Commune.objects.get(insee_code="01283"),
    )
    client.force_login(facilitator)
    response = client.post(CREATE_URL, participant_data())
    page = page_of(response)
    assert response.status_code == 200
    assert "Une personne de même nom et date de naissance est déjà suivie par PLIE d'Oyonnax." in page
    assert reverse("placements:participant_detail", args=[hidden.pk]) not in page and "né(e) le" not in page
    assert "Je confirme qu'il s'agit d'une autre personne" in page
    assert Participant.objects.count() == 1

    # Saving again without ticking the box still saves nothing.
    response = client.post(CREATE_URL, participant_data())
    assert "cochez cette case" in page_of(response)
    assert Participant.objects.count() == 1

    response = client.post(CREATE_URL, participant_data(**{"duplicate-confirm": "on"}))
    assert response.status_code == 302
    assert Participant.objects.count() == 2
    created = Participant.objects.get(facilitation_body=Organisation.objects.department().get())
    assert created.criteria.get().criterion == "RSA"


def test_a_duplicate_the_user_follows_is_listed_with_a_link(client, facilitator):
    existing = ParticipantFactory(first_name="Samia", last_name="Bensaïd", birth_date=date(1990, 5, 4))
    client.force_login(facilitator)
    page = page_of(client.post(CREATE_URL, participant_data()))
    assert reverse("placements:participant_detail", args=[existing.pk]) in page
    assert "né(e) le 04/05/1990, Bourg-en-Bresse" in page
    assert Participant.objects.count() == 1


def test_same_name_with_another_birth_date_is_not_a_duplicate(client, facilitator):
    ParticipantFactory(first_name="Samia", last_name="Bensaïd", birth_date=date(1991, 5, 4))
    client.force_login(facilitator)
    assert client.post(CREATE_URL, participant_data()).status_code == 302
    assert Participant.objects.count() == 2


# Update ------------------------------------------------------------------------------------


@pytest.fixture
def followed(facilitator):
    participant = ParticipantFactory(first_name="Karim", last_name="Lopez", birth_date=date(1984, 2, 20))
    rsa = CriterionFactory(participant=participant, criterion="RSA", validated_by=facilitator)
    deld = CriterionFactory(participant=participant, criterion="DELD", proof="Relevé France Travail")
    return participant, rsa, deld


def existing_row(criterion):
    return {
        "id": criterion.pk,
        "criterion": criterion.criterion,
        "assessed_on": iso(criterion.assessed_on),
        "proof": criterion.proof,
    }


def update_data(participant, rows, initial, **overrides):
    data = participant_data(rows, initial, first_name=participant.first_name, last_name=participant.last_name)
    data["birth_date"] = iso(participant.birth_date)
    data.update(overrides)
    return data


def test_update_changes_adds_and_removes_criteria(client, followed, administrator):
    participant, rsa, deld = followed
    client.force_login(administrator)
    url = reverse("placements:participant_update", args=[participant.pk])
    page = page_of(client.get(url))
    assert "Relevé France Travail" in page and "Supprimer" in page
    rows = [
        existing_row(rsa),
        {**existing_row(deld), "DELETE": "on"},
        {"criterion": "SENIOR", "assessed_on": iso(today()), "proof": "Attestation d'inscription"},
    ]
    response = client.post(url, update_data(participant, rows, 2, availability="À partir de janvier"))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.availability == "À partir de janvier"
    assert participant.facilitation_body == Organisation.objects.department().get()
    criteria = {c.criterion: c for c in participant.criteria.all()}
    assert set(criteria) == {"RSA", "SENIOR"}
    assert criteria["SENIOR"].validated_by == administrator
    assert criteria["RSA"].validated_by == rsa.validated_by  # unchanged: its validator stays


def test_a_criterion_can_be_removed_and_added_again_in_one_save(client, followed, facilitator):
    participant, rsa, deld = followed
    client.force_login(facilitator)
    url = reverse("placements:participant_update", args=[participant.pk])
    rows = [
        {**existing_row(rsa), "DELETE": "on"},
        existing_row(deld),
        rsa_row(proof="Nouvelle attestation CAF"),
    ]
    assert client.post(url, update_data(participant, rows, 2)).status_code == 302
    assert participant.criteria.get(criterion="RSA").proof == "Nouvelle attestation CAF"


def test_removing_every_criterion_is_refused(client, followed, facilitator):
    participant, rsa, deld = followed
    client.force_login(facilitator)
    url = reverse("placements:participant_update", args=[participant.pk])
    rows = [{**existing_row(rsa), "DELETE": "on"}, {**existing_row(deld), "DELETE": "on"}]
    response = client.post(url, update_data(participant, rows, 2, availability="Changée"))
    assert "Indiquez au moins un critère d'éligibilité" in page_of(response)
    participant.refresh_from_db()
    assert participant.criteria.count() == 2 and participant.availability == ""


def test_an_invalid_criterion_saves_nothing_of_the_person(client, followed, facilitator):
    participant, rsa, deld = followed
    client.force_login(facilitator)
    url = reverse("placements:participant_update", args=[participant.pk])
    rows = [existing_row(rsa), {**existing_row(deld), "proof": ""}]
    response = client.post(url, update_data(participant, rows, 2, phone="07 00 00 00 00"))
    assert response.status_code == 200
    participant.refresh_from_db()
    assert participant.phone == "" and participant.criteria.get(criterion="DELD").proof == "Relevé France Travail"


def test_renaming_into_a_duplicate_asks_for_confirmation(client, followed, facilitator):
    participant, rsa, deld = followed
    ParticipantFactory(first_name="Karim", last_name="Lopes", birth_date=date(1984, 2, 20))
    client.force_login(facilitator)
    url = reverse("placements:participant_update", args=[participant.pk])
    rows = [existing_row(rsa), existing_row(deld)]
    response = client.post(url, update_data(participant, rows, 2, last_name="Lopes"))
    assert "cette personne est peut-être déjà connue" in page_of(response)
    participant.refresh_from_db()
    assert participant.last_name == "Lopez"
    response = client.post(url, update_data(participant, rows, 2, last_name="Lopes", **{"duplicate-confirm": "on"}))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.last_name == "Lopes"


def test_saving_a_known_duplicate_without_renaming_does_not_ask_again(client, followed, facilitator):
    participant, rsa, deld = followed
    ParticipantFactory(first_name="Karim", last_name="Lopez", birth_date=date(1984, 2, 20))
    client.force_login(facilitator)
    url = reverse("placements:participant_update", args=[participant.pk])
    response = client.post(url, update_data(participant, [existing_row(rsa), existing_row(deld)], 2, phone="0600"))
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.phone == "0600"
