"""Pre-selection of candidates for an offer, and the facilitator's actions on a candidacy."""

import html
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Organisation
from partners.roles import Role
from placements.eligibility import CRITERIA
from placements.models import Candidacy, JobOffer
from tests.partners.factories import OrganisationFactory
from tests.placements.factories import (
    CandidacyFactory,
    CriterionFactory,
    ParticipantFactory,
    PlacementFactory,
    eligible_participant,
)
from tests.placements.test_offers import build_world


@pytest.fixture
def world(db, users_by_role):
    return build_world(users_by_role)


def text_of(response):
    return html.unescape(response.content.decode())


def person(last_name, criteria=("DELD",), rsa_at_entry=False, **fields):
    participant = ParticipantFactory(last_name=last_name, first_name="Camille", rsa_at_entry=rsa_at_entry, **fields)
    for code in criteria:
        CriterionFactory(participant=participant, criterion=code)
    return participant


@pytest.fixture
def pool(world, facilitator):
    """People of the Département's pool, and people who must not be offered."""
    today = timezone.localdate()
    working = person("Occupé", criteria=("RSA",), rsa_at_entry=True)
    PlacementFactory(participant=working, start_date=today - timedelta(days=30), end_date=None)
    finished = person("Terminé")
    PlacementFactory(participant=finished, start_date=date(2025, 1, 6), end_date=today - timedelta(days=1))
    return {
        "adam": person("Adam"),  # not RSA: comes after RSA beneficiaries despite the name
        "zola": person("Zola", criteria=("JEUNE",), rsa_at_entry=True),  # RSA at entry
        "martin": person("Martin", criteria=("RSA", "QPV")),  # RSA criterion only
        "finished": finished,  # a placement that ended: available again
        "working": working,
        "not_eligible": ParticipantFactory(last_name="Sanscritère"),
        "elsewhere": person(
            "Ailleurs", facilitation_body=OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY)
        ),
    }


def propose_url(world):
    return reverse("placements:candidacy_propose", args=[world["offer"].pk])


# Pre-selection -----------------------------------------------------------------------------


def test_pool_lists_available_people_rsa_beneficiaries_first(client, world, pool, facilitator):
    client.force_login(facilitator)
    response = client.get(propose_url(world))
    assert response.status_code == 200
    names = [p.last_name for p, _, _ in response.context["candidates"]]
    assert names == ["Martin", "Zola", "Adam", "Terminé"]
    page = text_of(response)
    assert "Occupé" not in page and "Sanscritère" not in page and "Ailleurs" not in page
    assert CRITERIA["QPV"] in page and CRITERIA["JEUNE"] in page  # criteria shown to the facilitator


def test_pool_search_by_name(client, world, pool, facilitator):
    client.force_login(facilitator)
    response = client.get(propose_url(world), {"q": "zol"})
    assert [p.last_name for p, _, _ in response.context["candidates"]] == ["Zola"]


def test_propose_creates_proposed_candidacies(client, world, pool, facilitator):
    client.force_login(facilitator)
    response = client.post(propose_url(world), {"participants": [pool["adam"].pk, pool["zola"].pk]})
    assert response.status_code == 302
    assert response.url == reverse("placements:offer_detail", args=[world["offer"].pk])
    created = Candidacy.objects.filter(offer=world["offer"]).order_by("participant__last_name")
    assert [(c.participant, c.status, c.proposed_by) for c in created] == [
        (pool["adam"], "proposed", facilitator),
        (pool["zola"], "proposed", facilitator),
    ]


def test_a_person_already_proposed_is_refused_and_nothing_is_saved(client, world, pool, facilitator):
    CandidacyFactory(offer=world["offer"], participant=pool["adam"], status="withdrawn")
    client.force_login(facilitator)
    page = client.get(propose_url(world))
    already = {p.last_name: proposed for p, proposed, _ in page.context["candidates"]}
    assert already["Adam"] is True and already["Zola"] is False
    assert "Déjà proposé(e) à cette offre" in text_of(page)
    response = client.post(propose_url(world), {"participants": [pool["adam"].pk, pool["zola"].pk]})
    assert response.status_code == 200
    assert f"{pool['adam']} est déjà proposé(e) à cette offre." in text_of(response)
    assert Candidacy.objects.filter(offer=world["offer"]).count() == 1


@pytest.mark.parametrize("who", ["working", "not_eligible", "elsewhere"])
def test_people_outside_the_pool_are_refused(client, world, pool, facilitator, who):
    client.force_login(facilitator)
    response = client.post(propose_url(world), {"participants": [pool[who].pk]})
    assert "Une personne cochée n'est plus disponible (non éligible ou déjà en poste)." in text_of(response)
    assert not Candidacy.objects.filter(offer=world["offer"]).exists()


def test_nothing_checked(client, world, pool, facilitator):
    client.force_login(facilitator)
    response = client.post(propose_url(world), {})
    assert "Cochez au moins une personne à proposer." in text_of(response)


def test_no_proposal_on_a_filled_offer(client, world, pool, facilitator):
    JobOffer.objects.filter(pk=world["offer"].pk).update(status="filled")
    client.force_login(facilitator)
    response = client.post(propose_url(world), {"participants": [pool["adam"].pk]})
    assert "Cette offre est « pourvue » : rouvrez-la avant d'y proposer des personnes." in text_of(response)
    assert not Candidacy.objects.exists()


def test_propose_access(client, world, pool):
    users = world["users"]
    client.force_login(users[Role.ADMINISTRATOR])
    assert client.get(propose_url(world)).status_code == 200
    client.force_login(users[Role.EMPLOYER])  # sees the offer, may not propose
    assert client.get(propose_url(world)).status_code == 403
    assert client.post(propose_url(world), {"participants": [pool["adam"].pk]}).status_code == 403
    for who in ["other_facilitator", "other_employer", Role.DEPARTMENT_READER, Role.BUYER]:
        client.force_login(users[who])
        assert client.get(propose_url(world)).status_code == 404, who
        assert client.post(propose_url(world), {"participants": [pool["adam"].pk]}).status_code == 404, who
    assert not Candidacy.objects.exists()


POOL_QUERIES = 11


def test_pool_query_count_does_not_grow(client, world, facilitator, django_assert_num_queries):
    person("Seule", criteria=("RSA",))
    client.force_login(facilitator)
    with django_assert_num_queries(POOL_QUERIES):
        client.get(propose_url(world))
    for index in range(15):
        someone = person(f"Personne{index}", criteria=("RSA", "QPV"))
        someone.wished_trades.set([])
    with django_assert_num_queries(POOL_QUERIES):
        response = client.get(propose_url(world))
    assert len(response.context["candidates"]) == 16


# The facilitator's actions -----------------------------------------------------------------


def update_url(candidacy):
    return reverse("placements:candidacy_update", args=[candidacy.pk])


def test_send_to_the_employer(client, world, facilitator):
    candidacy = CandidacyFactory(offer=world["offer"], status="proposed", comment="Disponible le matin")
    client.force_login(facilitator)
    response = client.post(update_url(candidacy), {"action": "send"})  # the quick button of the offer page
    candidacy.refresh_from_db()
    assert response.status_code == 302
    assert candidacy.status == "sent"
    assert candidacy.comment == "Disponible le matin"  # the quick button keeps the comment


def test_withdraw(client, world, facilitator):
    candidacy = CandidacyFactory(offer=world["offer"], status="sent")
    client.force_login(facilitator)
    client.post(update_url(candidacy), {"action": "withdraw", "comment": "A trouvé un emploi ailleurs."})
    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.comment) == ("withdrawn", "A trouvé un emploi ailleurs.")


def test_interview_on_the_employers_behalf_needs_a_date(client, world, facilitator):
    candidacy = CandidacyFactory(offer=world["offer"], status="sent")
    client.force_login(facilitator)
    response = client.post(update_url(candidacy), {"action": "interview", "comment": ""})
    assert "Indiquez la date de l'entretien." in text_of(response)
    candidacy.refresh_from_db()
    assert candidacy.status == "sent"
    day = timezone.localdate() + timedelta(days=5)
    client.post(update_url(candidacy), {"action": "interview", "interview_date": day.isoformat()})
    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.interview_date) == ("interview", day)


def test_interview_cannot_precede_the_proposal(client, world, facilitator):
    candidacy = CandidacyFactory(offer=world["offer"], status="sent")
    client.force_login(facilitator)
    before = timezone.localdate() - timedelta(days=3)
    response = client.post(update_url(candidacy), {"action": "interview", "interview_date": before.isoformat()})
    assert "L'entretien ne peut pas précéder la proposition de la candidature" in text_of(response)


def test_refusal_on_the_employers_behalf_needs_a_reason(client, world, facilitator):
    candidacy = CandidacyFactory(offer=world["offer"], status="interview")
    client.force_login(facilitator)
    response = client.post(update_url(candidacy), {"action": "refuse"})
    assert "Choisissez le motif du refus." in text_of(response)
    client.post(update_url(candidacy), {"action": "refuse", "refusal_reason": "no_show", "comment": ""})
    candidacy.refresh_from_db()
    assert (candidacy.status, candidacy.refusal_reason) == ("refused", "no_show")


@pytest.mark.parametrize(
    "status, action, message",
    [
        ("hired", "send", "Impossible de transmettre la candidature à l'employeur : la candidature est déjà conclue"),
        ("refused", "withdraw", "Impossible de retirer la candidature : la candidature est déjà refusée."),
        ("proposed", "hire", "Impossible d'enregistrer une embauche : la candidature est seulement proposée"),
        ("sent", "send", "la candidature est déjà transmise à l'employeur."),
    ],
)
def test_invalid_transitions_are_refused_in_french(client, world, facilitator, status, action, message):
    candidacy = CandidacyFactory(offer=world["offer"], status=status)
    client.force_login(facilitator)
    response = client.post(update_url(candidacy), {"action": action, "refusal_reason": "other"})
    assert response.status_code == 200
    assert message in text_of(response)
    candidacy.refresh_from_db()
    assert candidacy.status == status


def test_update_page_offers_only_the_allowed_actions_and_shows_history(client, world, facilitator):
    candidacy = CandidacyFactory(offer=world["offer"], status="proposed")
    client.force_login(facilitator)
    client.post(update_url(candidacy), {"action": "send"})
    response = client.get(update_url(candidacy))
    form = response.context["form"]
    assert [value for value, _ in form.fields["action"].widget.choices] == ["interview", "hire", "refuse", "withdraw"]
    assert [record.status for record in response.context["history"]] == ["proposed", "sent"]
    assert f"par {facilitator}" in text_of(response)


def test_final_candidacy_page_offers_no_form(client, world, facilitator):
    candidacy = CandidacyFactory(offer=world["offer"], status="hired")
    client.force_login(facilitator)
    response = client.get(update_url(candidacy))
    page = text_of(response)
    assert "Cette candidature est « embauchée » : elle ne peut plus changer." in page
    assert f"{reverse('placements:placement_create')}?candidacy={candidacy.pk}" in page


def test_candidacy_update_access(client, world):
    candidacy = CandidacyFactory(offer=world["offer"], status="sent")
    users = world["users"]
    client.force_login(users[Role.ADMINISTRATOR])
    assert client.get(update_url(candidacy)).status_code == 200
    client.force_login(users[Role.EMPLOYER])  # sees the sent candidacy, answers only in the portal
    assert client.get(update_url(candidacy)).status_code == 403
    assert client.post(update_url(candidacy), {"action": "withdraw"}).status_code == 403
    for who in ["other_facilitator", "other_employer", Role.DEPARTMENT_READER, Role.BUYER]:
        client.force_login(users[who])
        assert client.get(update_url(candidacy)).status_code == 404, who
        assert client.post(update_url(candidacy), {"action": "withdraw"}).status_code == 404, who
    candidacy.refresh_from_db()
    assert candidacy.status == "sent"


def test_employer_never_reaches_a_proposed_candidacy(client, world, employer):
    candidacy = CandidacyFactory(offer=world["offer"], participant=eligible_participant(), status="proposed")
    client.force_login(employer)
    assert client.get(update_url(candidacy)).status_code == 404


def test_checkbox_values_are_not_localized_for_large_numbers(client, world, facilitator):
    """French formats write 1761 as « 1 761 »: a checkbox's value must stay the bare number."""
    camille = person("Grandnuméro", pk=12_345)
    client.force_login(facilitator)
    page = client.get(propose_url(world)).content.decode()
    assert 'value="12345"' in page and 'id="proposed-12345"' not in page
    response = client.post(propose_url(world), {"participants": ["12345"]})
    assert response.status_code == 302
    assert Candidacy.objects.get(offer=world["offer"]).participant == camille
