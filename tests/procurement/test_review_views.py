"""The review pages: who sees and acts, what the list shows, and its number of queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from partners.roles import Role
from procurement.models import PublishedContract
from tests.procurement.factories import PublishedContractFactory, PublishedHolderFactory

pytestmark = pytest.mark.django_db


def page_urls(world):
    pk = world["matching"].pk
    return [
        reverse("procurement:review_list"),
        reverse("procurement:review_detail", args=[pk]),
    ]


def write_urls(world):
    pk = world["new"].pk
    return [
        reverse("procurement:review_accept", args=[pk]),
        reverse("procurement:review_merge", args=[pk]),
        reverse("procurement:review_dismiss", args=[pk]),
        reverse("procurement:review_undo", args=[pk]),
    ]


@pytest.mark.parametrize("who", [Role.ADMINISTRATOR, Role.FACILITATOR])
def test_facilitators_and_administrators_see_and_act(client, world, who):
    client.force_login(world["users"][who])
    for url in page_urls(world):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("procurement:review_accept", args=[world["new"].pk])).status_code == 200


def test_department_readers_read_and_get_403_on_every_write(client, world):
    client.force_login(world["users"][Role.DEPARTMENT_READER])
    for url in page_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Créer dans Clausier" not in response.content.decode()
    for url in write_urls(world):
        assert client.post(url, {"reason": "duplicate", "target": f"lot-{world['lot'].pk}"}).status_code == 403, url
    assert client.get(write_urls(world)[0]).status_code == 403
    assert PublishedContract.objects.get(pk=world["new"].pk).review_status == "new"


@pytest.mark.parametrize("who", [Role.EMPLOYER, Role.BUYER])
def test_employers_and_buyers_get_404(client, world, who):
    client.force_login(world["users"][who])
    for url in page_urls(world):
        assert client.get(url).status_code == 404, url
    for url in write_urls(world):
        assert client.post(url, {}).status_code == 404, url


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get(reverse("procurement:review_list"))
    assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_the_list_shows_the_contracts_to_review_with_their_best_candidates(client, world):
    client.force_login(world["users"][Role.FACILITATOR])
    content = client.get(reverse("procurement:review_list")).content.decode()
    assert "Rénovation du collège de Trévoux - gros œuvre" in content
    assert "250\u00a0000 €" in content
    assert "BATIR AIN" in content
    assert "01/09/2026" in content
    assert "Correspond probablement à lot" in content
    assert "même acheteur, même titulaire, montant du lot proche (−4\u00a0%)" in content
    # The other contract has no candidate: a new contract to follow.
    assert "Entretien des espaces verts de la commune" in content
    assert "Nouveau marché à suivre" in content
    assert "Rattacher au marché proposé" in content


def test_another_facilitation_body_does_not_see_the_lot_as_a_candidate(client, world):
    client.force_login(world["users"]["other_facilitator"])
    content = client.get(reverse("procurement:review_list")).content.decode()
    assert "Correspond probablement" not in content


def test_the_filters(client, world):
    PublishedContractFactory(subject="Fournitures de bureau", without_social_consideration=True)
    PublishedContractFactory(subject="Ancien marché", notification_date=date(2024, 3, 1))
    client.force_login(world["users"][Role.FACILITATOR])
    url = reverse("procurement:review_list")
    assert "Fournitures de bureau" not in client.get(url).content.decode()
    assert "Fournitures de bureau" in client.get(url, {"considerations": "all"}).content.decode()
    content = client.get(url, {"year": "2024"}).content.decode()
    assert "Ancien marché" in content and "Trévoux" not in content
    content = client.get(url, {"buyer": "21010283500017"}).content.decode()
    assert "espaces verts" in content and "Trévoux" not in content
    world["new"].review_status = "dismissed"
    world["new"].save()
    assert "espaces verts" not in client.get(url).content.decode()
    assert "espaces verts" in client.get(url, {"status": "dismissed"}).content.decode()


def make_contracts(count):
    for n in range(count):
        published = PublishedContractFactory(subject=f"Travaux de voirie {n}")
        PublishedHolderFactory(published_contract=published)
        PublishedHolderFactory(published_contract=published)


# session, user, memberships, buyers and years of the filters, count, page, holders, candidate
# lots, their holders.
LIST_QUERIES = 10


@pytest.mark.parametrize("count", [10, 50])
def test_the_list_makes_a_fixed_number_of_queries(client, world, count, django_assert_num_queries):
    make_contracts(count)
    client.force_login(world["users"][Role.FACILITATOR])
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("procurement:review_list"))
    assert response.status_code == 200
    assert len(response.context["reviews"]) == min(count + 2, 20)


def test_the_list_is_paginated(client, world):
    make_contracts(25)
    client.force_login(world["users"][Role.FACILITATOR])
    response = client.get(reverse("procurement:review_list"), {"page": 2})
    assert len(response.context["reviews"]) == 27 - 20
    assert "Page 2 sur 2" in response.content.decode()


def test_the_detail_shows_the_candidates_the_forms_and_the_history(client, world):
    client.force_login(world["users"][Role.FACILITATOR])
    content = client.get(reverse("procurement:review_detail", args=[world["matching"].pk])).content.decode()
    assert "Rattacher" in content and "Écarter" in content
    assert "Hors périmètre" in content
    assert f'value="lot-{world["lot"].pk}"' in content
    assert "Historique" in content


def test_amounts_and_dates_in_french(client, world):
    PublishedContractFactory(subject="Grand marché", amount=Decimal("1234567.89"))
    client.force_login(world["users"][Role.FACILITATOR])
    content = client.get(reverse("procurement:review_list")).content.decode()
    assert "1\u00a0234\u00a0568 €" in content
