"""The candidate pool: eligible people not at work, RSA beneficiaries first, then the latest assessed."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clauses.models import Trade
from partners.models import Commune
from tests.placements.factories import CriterionFactory, ParticipantFactory, PlacementFactory

URL = reverse("placements:candidate_pool")
POOL_QUERIES = 12


def today():
    return timezone.localdate()


def names(response):
    return [p.last_name for p in response.context["page"].object_list]


def person(last_name, criteria, rsa_at_entry=False, days_ago=10, **fields):
    participant = ParticipantFactory(first_name="Alex", last_name=last_name, rsa_at_entry=rsa_at_entry, **fields)
    for code in criteria:
        CriterionFactory(participant=participant, criterion=code, assessed_on=today() - timedelta(days=days_ago))
    return participant


@pytest.fixture
def pool(db, facilitator):
    masonry = Trade.objects.get(name="Gros œuvre, maçonnerie")
    cleaning = Trade.objects.get(name="Nettoyage des locaux")
    bourg = Commune.objects.get(insee_code="01053")
    elsewhere = Commune.objects.exclude(epci=bourg.epci).order_by("name").first()
    recent = person("Recent", ["DELD"], days_ago=2, mobility="vehicle", commune=elsewhere)
    recent.wished_trades.add(masonry)
    person("RsaOld", ["SENIOR"], rsa_at_entry=True, days_ago=300, mobility="public_transport").wished_trades.add(
        cleaning
    )
    person("RsaCriterion", ["RSA", "QPV"], days_ago=30, mobility="vehicle")
    person("Older", ["TH"], days_ago=100, mobility="none")
    at_work = person("AtWork", ["RSA"], rsa_at_entry=True, days_ago=1)
    PlacementFactory(participant=at_work, start_date=today() - timedelta(days=20), end_date=None)
    ended = person("Ended", ["JEUNE"], days_ago=200)
    PlacementFactory(participant=ended, start_date=today() - timedelta(days=200), end_date=today() - timedelta(days=1))
    ParticipantFactory(last_name="NotEligible", rsa_at_entry=True)
    return {"masonry": masonry, "cleaning": cleaning, "elsewhere": elsewhere, "bourg": bourg}


def test_rsa_beneficiaries_first_then_the_latest_assessed(client, facilitator, pool):
    client.force_login(facilitator)
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["RsaCriterion", "RsaOld", "Recent", "Older", "Ended"]


def test_people_in_a_running_placement_or_without_criteria_are_left_out(client, facilitator, pool):
    client.force_login(facilitator)
    page = html.unescape(client.get(URL).content.decode())
    assert "ATWORK" not in page and "NOTELIGIBLE" not in page
    assert "5 personnes disponibles" in page


def test_a_placement_starting_later_does_not_remove_someone_from_the_pool(client, facilitator, pool):
    later = person("Later", ["DELD"], days_ago=1)
    PlacementFactory(participant=later, start_date=today() + timedelta(days=10), end_date=None)
    client.force_login(facilitator)
    assert "Later" in names(client.get(URL))


def test_columns_show_profile_and_criteria(client, facilitator, pool):
    client.force_login(facilitator)
    page = html.unescape(client.get(URL).content.decode())
    assert "Permis B et véhicule" in page and "Nettoyage des locaux" in page and "Immédiate" not in page
    assert 'title="Travailleur handicapé (RQTH, BOETH)"' in page
    assert f"apprécié le {today() - timedelta(days=2):%d/%m/%Y}" in page
    assert page.count('<span class="badge text-bg-primary">RSA</span>') == 2


def test_filters(client, facilitator, pool):
    client.force_login(facilitator)
    assert names(client.get(URL, {"mobility": "vehicle"})) == ["RsaCriterion", "Recent"]
    assert names(client.get(URL, {"trade": pool["cleaning"].pk})) == ["RsaOld"]
    assert names(client.get(URL, {"criterion": "TH"})) == ["Older"]
    assert names(client.get(URL, {"territory": f"commune-{pool['elsewhere'].pk}"})) == ["Recent"]
    assert names(client.get(URL, {"territory": f"epci-{pool['bourg'].epci_id}"})) == [
        "RsaCriterion",
        "RsaOld",
        "Older",
        "Ended",
    ]


def _pool_of(count):
    trades = list(Trade.objects.all()[:3])
    for index in range(count):
        participant = person(f"Nom{index:02d}", ["RSA", "QPV"] if index % 2 else ["DELD"], days_ago=index + 1)
        participant.wished_trades.add(*trades)
        if index % 3 == 2:
            PlacementFactory(participant=participant, start_date=today() - timedelta(days=400), end_date=today())


@pytest.mark.parametrize("count", [1, 12])
def test_query_count_does_not_grow_with_rows(client, facilitator, django_assert_num_queries, count):
    _pool_of(count)
    client.force_login(facilitator)
    with django_assert_num_queries(POOL_QUERIES):
        response = client.get(URL, {"mobility": ""})
    assert len(response.context["page"].object_list) == count - (count + 1) // 3
