"""The list of participants: search, filters, columns, and a pinned number of queries."""

import html
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Commune, Organisation
from placements import eligibility
from tests.partners.factories import OrganisationFactory
from tests.placements.factories import CriterionFactory, ParticipantFactory, PlacementFactory

URL = reverse("placements:participant_list")
LIST_QUERIES = 11


def today():
    return timezone.localdate()


def names(response):
    return [f"{p.first_name} {p.last_name}" for p in response.context["page"].object_list]


@pytest.fixture
def people(db, facilitator):
    bourg = Commune.objects.get(insee_code="01053")
    elsewhere = Commune.objects.exclude(epci=bourg.epci).order_by("name").first()
    bernard = ParticipantFactory(
        first_name="Lucie", last_name="Bernard", commune=bourg, sex="F", rsa_at_entry=True, birth_date=date(1990, 1, 1)
    )
    CriterionFactory(participant=bernard, criterion="RSA")
    aubert = ParticipantFactory(first_name="Marc", last_name="Aubert", commune=elsewhere, sex="M", rsa_at_entry=False)
    CriterionFactory(participant=aubert, criterion="DELD", proof="Relevé France Travail")
    CriterionFactory(participant=aubert, criterion="QPV", proof="Avis d'imposition")
    working = ParticipantFactory(first_name="Inès", last_name="Martin", commune=bourg, sex="F", rsa_at_entry=False)
    CriterionFactory(participant=working, criterion="JEUNE", proof="Attestation Mission locale")
    placement = PlacementFactory(
        participant=working,
        start_date=today() - timedelta(days=40),
        end_date=today() + timedelta(days=40),
        employer=OrganisationFactory(name="Bâtir Bresse Construction", with_siret=True),
    )
    not_eligible = ParticipantFactory(first_name="Paul", last_name="Durand", commune=bourg, sex="M", rsa_at_entry=False)
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY)
    ParticipantFactory(first_name="Zoé", last_name="Berger", facilitation_body=other_body)
    return {
        "bernard": bernard,
        "aubert": aubert,
        "working": working,
        "placement": placement,
        "not_eligible": not_eligible,
        "bourg": bourg,
        "elsewhere": elsewhere,
    }


def test_lists_the_people_the_body_follows_with_their_columns(client, facilitator, people):
    client.force_login(facilitator)
    response = client.get(URL)
    assert names(response) == ["Marc Aubert", "Lucie Bernard", "Paul Durand", "Inès Martin"]
    page = html.unescape(response.content.decode())
    age = eligibility.age_on(date(1990, 1, 1), today())
    assert f"{age} ans" in page
    assert "DELD" in page and "QPV" in page and "title=\"Habitant d'un quartier prioritaire" in page
    assert "Bâtir Bresse Construction" in page
    assert reverse("placements:placement_detail", args=[people["placement"].pk]) in page
    assert "Zoé" not in page
    assert "4 personnes" in page


def test_search_by_name_is_case_insensitive(client, facilitator, people):
    client.force_login(facilitator)
    assert names(client.get(URL, {"q": "BER"})) == ["Marc Aubert", "Lucie Bernard"]
    assert names(client.get(URL, {"q": "lucie ber"})) == ["Lucie Bernard"]
    assert names(client.get(URL, {"q": "inconnu"})) == []


def test_filter_by_commune_and_epci(client, facilitator, people):
    client.force_login(facilitator)
    bourg, elsewhere = people["bourg"], people["elsewhere"]
    assert names(client.get(URL, {"territory": f"commune-{elsewhere.pk}"})) == ["Marc Aubert"]
    assert names(client.get(URL, {"territory": f"epci-{bourg.epci_id}"})) == [
        "Lucie Bernard",
        "Paul Durand",
        "Inès Martin",
    ]
    # Only the communes where followed people live are offered.
    choices = dict(client.get(URL).context["form"].fields["territory"].choices)["Communes"]
    assert [label for _, label in choices] == sorted([bourg.name, elsewhere.name])


def test_filter_by_criterion_rsa_and_sex(client, facilitator, people):
    client.force_login(facilitator)
    assert names(client.get(URL, {"criterion": "QPV"})) == ["Marc Aubert"]
    assert names(client.get(URL, {"rsa": "yes"})) == ["Lucie Bernard"]
    assert names(client.get(URL, {"rsa": "no"})) == ["Marc Aubert", "Paul Durand", "Inès Martin"]
    assert names(client.get(URL, {"sex": "M"})) == ["Marc Aubert", "Paul Durand"]
    assert names(client.get(URL, {"sex": "F", "rsa": "no"})) == ["Inès Martin"]


def test_filter_available_keeps_eligible_people_not_in_a_running_placement(client, facilitator, people):
    client.force_login(facilitator)
    assert names(client.get(URL, {"available": "on"})) == ["Marc Aubert", "Lucie Bernard"]


def test_an_ended_placement_makes_a_person_available_again(client, facilitator, people):
    people["placement"].end_date = today() - timedelta(days=1)
    people["placement"].save()
    client.force_login(facilitator)
    assert names(client.get(URL, {"available": "on"})) == ["Marc Aubert", "Lucie Bernard", "Inès Martin"]
    assert "Bâtir Bresse Construction" not in client.get(URL).content.decode()


def test_pagination_keeps_the_filters(client, facilitator):
    for index in range(55):
        ParticipantFactory(first_name=f"Personne{index:02d}", last_name="Dupont", sex="M")
    client.force_login(facilitator)
    response = client.get(URL, {"sex": "M"})
    assert len(response.context["page"].object_list) == 50
    assert "sex=M&amp;page=2" in response.content.decode()
    assert len(client.get(URL, {"sex": "M", "page": 2}).context["page"].object_list) == 5


def _people_with_paths(count):
    for index in range(count):
        participant = ParticipantFactory(last_name=f"Nom{index:02d}")
        CriterionFactory(participant=participant, criterion="RSA")
        CriterionFactory(participant=participant, criterion="QPV")
        if index % 2:
            PlacementFactory(participant=participant, start_date=today() - timedelta(days=5), end_date=None)


@pytest.mark.parametrize("count", [1, 12])
def test_query_count_does_not_grow_with_rows(client, facilitator, django_assert_num_queries, count):
    _people_with_paths(count)
    client.force_login(facilitator)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(URL, {"criterion": "RSA", "available": ""})
    assert len(response.context["page"].object_list) == count


def test_administrators_see_the_people_of_every_body(client, administrator, people):
    client.force_login(administrator)
    assert "Zoé Berger" in names(client.get(URL))
    assert names(client.get(URL, {"q": "zoé"})) == ["Zoé Berger"]
