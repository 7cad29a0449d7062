"""The employer's portal: the candidacies sent to them, without eligibility details, and their answers."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.roles import Role
from placements.eligibility import CRITERIA
from placements.models import Candidacy, Placement
from tests.clauses.factories import award
from tests.placements.factories import CandidacyFactory, CriterionFactory, JobOfferFactory, eligible_participant
from tests.placements.test_offers import build_world

LIST_URL = reverse("placements:employer_candidacies")


@pytest.fixture
def world(db, users_by_role):
    world = build_world(users_by_role)
    offer = world["offer"]
    second_offer = JobOfferFactory(lot=world["lot"], employer=world["company"], position="Coffreur ou coffreuse")

    def candidate(last_name, status, on=offer, **fields):
        participant = eligible_participant(
            last_name=last_name,
            first_name="Alex",
            email=f"{last_name.lower()}@exemple.fr",
            phone="06 12 34 56 78",
            address="12 rue des Lilas",
        )
        CriterionFactory(participant=participant, criterion="TH")
        CriterionFactory(participant=participant, criterion="QPV")
        return CandidacyFactory(offer=on, participant=participant, status=status, **fields)

    other_company_offer = JobOfferFactory(lot=world["lot"], position="Poste d'un concurrent")
    award(world["lot"], other_company_offer.employer)
    world["candidacies"] = {
        "proposed": candidate("Préparé", "proposed"),
        "sent": candidate("Transmis", "sent"),
        "interview": candidate("Entretien", "interview", on=second_offer, interview_date=timezone.localdate()),
        "hired": candidate("Recruté", "hired"),
        "refused": candidate("Écarté", "refused", refusal_reason="skills"),
        "competitor": candidate("Concurrent", "sent", on=other_company_offer),
    }
    world["second_offer"] = second_offer
    return world


def text_of(response):
    return html.unescape(response.content.decode())


def names_in(response):
    return {c.participant.last_name for c in response.context["page"].object_list}


def answer_url(candidacy):
    return reverse("placements:employer_candidacy_answer", args=[candidacy.pk])


# The list ----------------------------------------------------------------------------------


def test_employer_sees_the_candidacies_awaiting_its_answer_grouped_by_offer(client, world, employer):
    client.force_login(employer)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert names_in(response) == {"Transmis", "Entretien"}
    page = text_of(response)
    assert page.index("Maçon ou maçonne") < page.index("Transmis")
    assert page.index("Coffreur ou coffreuse") < page.index("Entretien")
    assert answer_url(world["candidacies"]["sent"]) in page
    assert "À traiter (2)" in page


def test_all_view_shows_answered_candidacies_but_never_proposed_ones(client, world, employer):
    client.force_login(employer)
    response = client.get(LIST_URL, {"vue": "toutes"})
    assert names_in(response) == {"Transmis", "Entretien", "Recruté", "Écarté"}
    page = text_of(response)
    assert "Préparé" not in page and "Concurrent" not in page and "Poste d'un concurrent" not in page
    assert "Compétences insuffisantes" in page  # the refusal reason of the refused one
    assert answer_url(world["candidacies"]["hired"]) not in page


def test_portal_shows_the_profile_and_no_eligibility_or_contact_details(client, world, employer):
    participant = world["candidacies"]["sent"].participant
    participant.availability = "Dès le 1er décembre"
    participant.mobility = "vehicle"
    participant.save()
    client.force_login(employer)
    pages = [
        text_of(client.get(LIST_URL, {"vue": "toutes"})),
        text_of(client.get(answer_url(world["candidacies"]["sent"]))),
        text_of(client.get(reverse("placements:offer_detail", args=[world["offer"].pk]))),
    ]
    for page in pages:
        assert "Alex Transmis" in page
        assert "RSA" not in page
        assert not any(label in page for label in CRITERIA.values())
        assert "QPV" not in page and "handicap" not in page.lower()
        assert "12/04/1985" not in page and "1985" not in page  # birth date
        assert "transmis@exemple.fr" not in page and "06 12 34 56 78" not in page and "rue des Lilas" not in page
        assert reverse("placements:participant_detail", args=[participant.pk]) not in page
    assert "Dès le 1er décembre" in pages[1] and "Permis B et véhicule" in pages[1]
    assert "CAP, BEP (niveau 3)" in pages[0]


@pytest.mark.parametrize("who", [Role.FACILITATOR, Role.ADMINISTRATOR])
def test_facilitators_open_the_portal_list_and_see_all_they_may_see(client, world, who):
    client.force_login(world["users"][who])
    assert names_in(client.get(LIST_URL)) == {"Transmis", "Entretien", "Concurrent"}
    everything = client.get(LIST_URL, {"vue": "toutes"})
    assert names_in(everything) == {"Préparé", "Transmis", "Entretien", "Recruté", "Écarté", "Concurrent"}


@pytest.mark.parametrize("who", [Role.DEPARTMENT_READER, Role.BUYER])
def test_readers_and_buyers_get_403_on_the_portal(client, world, who):
    client.force_login(world["users"][who])
    assert client.get(LIST_URL).status_code == 403
    assert client.get(answer_url(world["candidacies"]["sent"])).status_code == 404


def test_other_employer_sees_nothing_and_gets_404_on_answers(client, world):
    client.force_login(world["users"]["other_employer"])
    assert names_in(client.get(LIST_URL, {"vue": "toutes"})) == set()
    candidacy = world["candidacies"]["sent"]
    assert client.get(answer_url(candidacy)).status_code == 404
    assert client.post(answer_url(candidacy), {"action": "hire"}).status_code == 404
    candidacy.refresh_from_db()
    assert candidacy.status == "sent"


def test_employer_gets_404_on_a_competitors_candidacy_and_on_proposed_ones(client, world, employer):
    client.force_login(employer)
    for key in ["competitor", "proposed"]:
        assert client.post(answer_url(world["candidacies"][key]), {"action": "hire"}).status_code == 404, key
    assert Candidacy.objects.get(pk=world["candidacies"]["proposed"].pk).status == "proposed"


def test_facilitator_gets_403_on_the_employers_answer_page(client, world, facilitator):
    client.force_login(facilitator)
    candidacy = world["candidacies"]["sent"]
    assert client.get(answer_url(candidacy)).status_code == 403
    assert client.post(answer_url(candidacy), {"action": "hire"}).status_code == 403


PORTAL_QUERIES = 8


def test_portal_query_count_does_not_grow(client, world, employer, django_assert_num_queries):
    client.force_login(employer)
    with django_assert_num_queries(PORTAL_QUERIES):
        client.get(LIST_URL)
    for index in range(12):
        offer = JobOfferFactory(lot=world["lot"], employer=world["company"], position=f"Poste {index}")
        CandidacyFactory(offer=offer, status="sent")
    with django_assert_num_queries(PORTAL_QUERIES):
        response = client.get(LIST_URL)
    assert len(response.context["page"].object_list) == 14


# Answers -----------------------------------------------------------------------------------


def test_answer_interview_with_a_date(client, world, employer):
    candidacy = world["candidacies"]["sent"]
    client.force_login(employer)
    day = timezone.localdate() + timedelta(days=4)
    response = client.post(answer_url(candidacy), {"action": "interview", "interview_date": day.isoformat()})
    assert response.status_code == 302 and response.url == LIST_URL
    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.interview_date) == ("interview", day)
    follow = text_of(client.get(LIST_URL))
    assert f"Merci : l'entretien avec {candidacy.participant} le {day:%d/%m/%Y} est enregistré." in follow


def test_answer_interview_without_a_date_is_refused(client, world, employer):
    candidacy = world["candidacies"]["sent"]
    client.force_login(employer)
    response = client.post(answer_url(candidacy), {"action": "interview", "comment": "Mardi"})
    assert "Indiquez la date de l'entretien." in text_of(response)
    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.comment) == ("sent", "")


def test_answer_hired_does_not_create_the_placement(client, world, employer):
    candidacy = world["candidacies"]["interview"]
    client.force_login(employer)
    response = client.post(answer_url(candidacy), {"action": "hire", "comment": "Début lundi"})
    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.comment) == ("hired", "Début lundi")
    assert not Placement.objects.exists()


def test_answer_refused_needs_a_reason(client, world, employer):
    candidacy = world["candidacies"]["sent"]
    client.force_login(employer)
    response = client.post(answer_url(candidacy), {"action": "refuse", "comment": "Pas de permis"})
    assert response.status_code == 200
    assert "Choisissez le motif du refus." in text_of(response)
    candidacy.refresh_from_db()
    assert candidacy.status == "sent"
    client.post(answer_url(candidacy), {"action": "refuse", "refusal_reason": "mobility", "comment": "Pas de permis"})
    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.refusal_reason, candidacy.comment) == ("refused", "mobility", "Pas de permis")


def test_answer_with_an_unknown_reason_is_refused(client, world, employer):
    candidacy = world["candidacies"]["sent"]
    client.force_login(employer)
    response = client.post(answer_url(candidacy), {"action": "refuse", "refusal_reason": "caprice"})
    assert response.context["form"].errors["refusal_reason"]
    candidacy.refresh_from_db()
    assert candidacy.status == "sent"


def test_employer_cannot_send_or_withdraw(client, world, employer):
    candidacy = world["candidacies"]["sent"]
    client.force_login(employer)
    response = client.post(answer_url(candidacy), {"action": "withdraw"})
    assert "Cette action n'est pas possible ici." in text_of(response)
    form = client.get(answer_url(candidacy)).context["form"]
    assert [value for value, _ in form.fields["action"].widget.choices] == ["interview", "hire", "refuse"]


def test_answering_a_final_candidacy_is_refused(client, world, employer):
    candidacy = world["candidacies"]["hired"]
    client.force_login(employer)
    page = text_of(client.get(answer_url(candidacy)))
    assert "il n'y a plus de réponse à donner" in page
    response = client.post(answer_url(candidacy), {"action": "refuse", "refusal_reason": "skills"})
    assert "Impossible d'enregistrer un refus : la candidature est déjà conclue par une embauche." in text_of(response)
    candidacy.refresh_from_db()
    assert candidacy.status == "hired"


def test_administrator_may_answer(client, world, administrator):
    candidacy = world["candidacies"]["sent"]
    client.force_login(administrator)
    client.post(answer_url(candidacy), {"action": "hire"})
    candidacy.refresh_from_db()
    assert candidacy.status == "hired"
