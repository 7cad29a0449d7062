"""A participant's page: identity, eligibility, counting window and one timeline of their path."""

import html
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Organisation
from placements.models import Candidacy, FollowUp, Outcome, Placement
from placements.services import save_placement
from tests.clauses.factories import ClauseFactory, OperationFactory
from tests.partners.factories import OrganisationFactory
from tests.placements.factories import (
    CandidacyFactory,
    CriterionFactory,
    JobOfferFactory,
    ParticipantFactory,
    PlacementFactory,
)

DETAIL_QUERIES = 15  # 14 reads, and the insert of the access log (PersonalDataAccess)


def today():
    return timezone.localdate()


def url_of(participant):
    return reverse("placements:participant_detail", args=[participant.pk])


def page_of(response):
    return html.unescape(response.content.decode())


def text_of(response):
    """The words the user reads: tags removed, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_of(response)).split())


@pytest.fixture
def path(db, facilitator):
    """A person with two criteria, a refused and a hired candidacy, and an ended placement whose
    exit outcome is recorded."""
    prescriber = OrganisationFactory(kind=Organisation.Kind.EMPLOYMENT_SERVICE, name="Mission locale Bresse")
    participant = ParticipantFactory(
        first_name="Yanis",
        last_name="Perrin",
        birth_date=date(2001, 7, 14),
        phone="06 11 22 33 44",
        referent="M. Blanc, Mission locale",
        prescriber=prescriber,
        availability="Immédiate",
        mobility="public_transport",
    )
    CriterionFactory(
        participant=participant,
        criterion="JEUNE",
        proof="",
        confirming_prescriber=prescriber,
        validated_by=facilitator,
        assessed_on=today() - timedelta(days=400),
    )
    CriterionFactory(participant=participant, criterion="QPV", proof="Avis d'imposition 2025", validated_by=facilitator)
    employer = OrganisationFactory(name="Bresse Propreté", with_siret=True)
    lot = ClauseFactory(lot__title="Nettoyage des collèges").lot
    refused = CandidacyFactory(
        participant=participant,
        offer=JobOfferFactory(position="Agent de quai", lot=lot, employer=employer),
        status=Candidacy.Status.REFUSED,
        refusal_reason=Candidacy.RefusalReason.MOBILITY,
    )
    hired = CandidacyFactory(
        participant=participant,
        offer=JobOfferFactory(position="Agent de propreté", lot=lot, employer=employer),
        status=Candidacy.Status.SENT,
    )
    start = today() - timedelta(days=300)
    placement = save_placement(
        Placement(
            participant=participant,
            lot=lot,
            employer=employer,
            candidacy=hired,
            mode=Placement.Mode.DIRECT_HIRE,
            contract_type="cdd",
            start_date=start,
            end_date=today() - timedelta(days=30),
            weekly_hours=35,
        ),
        facilitator,
    )
    exit_outcome = placement.outcomes.get(moment=Outcome.Moment.EXIT)
    exit_outcome.recorded_on, exit_outcome.situation = today() - timedelta(days=25), "cdi"
    exit_outcome.save()
    return {"participant": participant, "placement": placement, "refused": refused, "hired": hired, "start": start}


def test_identity_profile_and_eligibility_are_shown(client, facilitator, path):
    client.force_login(facilitator)
    page = page_of(client.get(url_of(path["participant"])))
    assert "Yanis PERRIN" in page and "14/07/2001" in page and "06 11 22 33 44" in page
    assert "Transports en commun" in page and "M. Blanc, Mission locale" in page
    assert "Jeune de moins de 26 ans" in page and "Confirmé par Mission locale Bresse" in page
    assert "Avis d'imposition 2025" in page and str(facilitator) in page
    assert "Bénéficiaire du RSA à l'entrée : oui" in text_of(client.get(url_of(path["participant"])))
    assert reverse("placements:participant_update", args=[path["participant"].pk]) in page
    assert reverse("placements:offer_list") in page


def test_timeline_holds_the_whole_path_newest_first(client, facilitator, path):
    client.force_login(facilitator)
    response = client.get(url_of(path["participant"]))
    page = page_of(response)
    timeline = response.context["timeline"]
    kinds = {event.kind for event in timeline}
    assert kinds == {"today", "eligibility", "candidacy", "placement", "follow_up", "outcome"}
    assert [e.when for e in timeline] == sorted((e.when for e in timeline), reverse=True)
    # Eligibility assessments.
    assert "Éligibilité appréciée : Habitant d'un quartier prioritaire" in page
    # Candidacies: offer, employer, status.
    assert "Candidature à l'offre « Agent de quai »" in page and "Refusée" in page
    assert "motif : Mobilité ou horaires incompatibles" in page
    assert "Candidature à l'offre « Agent de propreté »" in page and "Embauchée" in page
    assert reverse("placements:offer_detail", args=[path["refused"].offer_id]) in page
    # Placement: lot, employer, dates.
    placement = path["placement"]
    assert "Mise à l'emploi : Lot" in page and "Nettoyage des collèges" in page
    assert f"du {placement.start_date:%d/%m/%Y} au {placement.end_date:%d/%m/%Y}" in page
    assert "Bresse Propreté" in page and "Terminée" in page
    assert reverse("placements:placement_detail", args=[placement.pk]) in page
    # Follow-ups due, outcomes recorded (with the situation) and due.
    assert "Suivi : Prise de poste" in page and "Suivi : Fin de mission" in page and "En retard" in page
    assert "Sortie à la sortie" in page and "CDI ·" in page and "Recueillie" in page
    assert "Sortie à 6 mois" in page and "À recueillir" in page


def test_a_done_follow_up_is_dated_when_done(client, facilitator, path):
    follow_up = path["placement"].follow_ups.get(kind=FollowUp.Kind.START)
    follow_up.done_on = path["start"] + timedelta(days=2)
    follow_up.save()
    client.force_login(facilitator)
    timeline = client.get(url_of(path["participant"])).context["timeline"]
    event = next(e for e in timeline if e.title == "Suivi : Prise de poste")
    assert event.when == follow_up.done_on and event.badge == "Réalisé"


def test_offer_of_a_lot_followed_by_another_body_is_not_linked(client, facilitator, path):
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY)
    lot = ClauseFactory(lot__contract__operation=OperationFactory(facilitation_body=other_body)).lot
    candidacy = CandidacyFactory(participant=path["participant"], offer=JobOfferFactory(position="Carreleur", lot=lot))
    client.force_login(facilitator)
    page = page_of(client.get(url_of(path["participant"])))
    assert "Candidature à l'offre « Carreleur »" in page
    assert reverse("placements:offer_detail", args=[candidacy.offer_id]) not in page


def test_counting_window_from_the_first_placement(client, facilitator, path, settings):
    client.force_login(facilitator)
    start = path["start"]
    page = text_of(client.get(url_of(path["participant"])))
    window_end = path["participant"].counting_window(24).end
    assert f"Du {start:%d/%m/%Y} au {window_end:%d/%m/%Y}" in page and "24 mois" in page and "en cours" in page
    settings.CLAUSIER = {**settings.CLAUSIER, "COUNTING_WINDOW_MONTHS": 6}
    page = text_of(client.get(url_of(path["participant"])))
    assert "6 mois civils à partir du mois de la première mise à l'emploi" in page and "terminée" in page


def test_no_placement_yet(client, facilitator):
    participant = ParticipantFactory()
    CriterionFactory(participant=participant)
    client.force_login(facilitator)
    page = page_of(client.get(url_of(participant)))
    assert "pas encore de mise à l'emploi" in page.lower()
    assert "Mise à l'emploi :" not in page


def _person_with_placements(count, facilitator):
    participant = ParticipantFactory()
    CriterionFactory(participant=participant)
    CriterionFactory(participant=participant, criterion="QPV", confirming_prescriber=OrganisationFactory())
    for index in range(count):
        candidacy = CandidacyFactory(participant=participant, status=Candidacy.Status.SENT)
        placement = PlacementFactory(
            participant=participant,
            candidacy=candidacy,
            lot=candidacy.offer.lot,
            start_date=today() - timedelta(days=100 * (index + 1)),
            end_date=today() - timedelta(days=100 * index + 10),
        )
        save_placement(placement, facilitator)
    return participant


@pytest.mark.parametrize("count", [1, 5])
def test_query_count_does_not_grow_with_the_path(client, facilitator, django_assert_num_queries, count):
    participant = _person_with_placements(count, facilitator)
    client.force_login(facilitator)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url_of(participant))
    assert sum(e.kind == "placement" for e in response.context["timeline"]) == count
    assert sum(e.kind == "outcome" for e in response.context["timeline"]) == 2 * count


def test_declared_hours_appear_in_the_timeline(client, facilitator):
    from tests.placements.factories import PlacementFactory, declared_month

    placement = PlacementFactory(start_date=date(2026, 4, 1), end_date=date(2026, 8, 31))
    declared_month(placement, "35.5", status="validated")
    client.force_login(facilitator)
    html = client.get(reverse("placements:participant_detail", args=[placement.participant_id])).content.decode()
    assert "Heures d&#x27;avril 2026 : 35,5 h" in html
    assert "Validée" in html
