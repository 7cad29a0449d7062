"""The recruitment outlook: lots starting soon with their hours, holders and open offers."""

import html
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Organisation
from partners.roles import Role
from placements.eligibility import add_months
from tests.clauses.factories import ClauseFactory, LotFactory, award
from tests.partners.factories import OrganisationFactory, user_with_role
from tests.placements.factories import CandidacyFactory, JobOfferFactory

URL = reverse("placements:recruitment_outlook")


def lot_starting(days, title, months=12, hours=Decimal("833"), **fields):
    """A lot with a clause starting ``days`` from today (negative: already started)."""
    start = timezone.localdate() + timedelta(days=days)
    clause = ClauseFactory(
        lot__title=title,
        lot__start_date=start,
        lot__end_date=add_months(start, months),
        computed_hours=hours,
        **fields,
    )
    return clause.lot


@pytest.fixture
def lots(db, facilitator):
    today = timezone.localdate()
    holder = OrganisationFactory(name="Bâtir Bresse Construction")
    soon = lot_starting(20, "Gros œuvre du gymnase", hours=Decimal("1200"))
    award(soon, holder)
    award(soon, OrganisationFactory(name="Tremplin Bresse"), role="subcontractor")
    open_offer = JobOfferFactory(lot=soon, employer=holder, position="Maçon", start_date=soon.start_date)
    CandidacyFactory(offer=open_offer, status="sent")
    JobOfferFactory(lot=soon, employer=holder, position="Poste annulé", status="cancelled")
    in_two_months = lot_starting(
        add_months(today, 2).toordinal() - today.toordinal(), "Charpente", hours=Decimal("300")
    )
    award(in_two_months, holder)
    in_five_months = lot_starting(add_months(today, 5).toordinal() - today.toordinal(), "Couverture")
    running_with_offer = lot_starting(-60, "Voirie en cours")
    JobOfferFactory(lot=running_with_offer, employer=holder, position="Manœuvre voirie")
    running_filled = lot_starting(-60, "Peinture en cours")
    JobOfferFactory(lot=running_filled, employer=holder, position="Peintre", status="filled")
    ended = lot_starting(-400, "Lot terminé", months=6)
    JobOfferFactory(lot=ended, employer=holder, position="Offre oubliée")
    no_clause = LotFactory(
        title="Lot sans clause", start_date=today + timedelta(days=10), end_date=today + timedelta(days=300)
    )
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY)
    elsewhere = lot_starting(15, "Lot d'une autre structure", lot__contract__operation__facilitation_body=other_body)
    return {
        "soon": soon,
        "in_two_months": in_two_months,
        "in_five_months": in_five_months,
        "running_with_offer": running_with_offer,
        "running_filled": running_filled,
        "ended": ended,
        "no_clause": no_clause,
        "elsewhere": elsewhere,
        "other_body": other_body,
    }


def titles(lots):
    return [lot.title for lot in lots]


def test_default_window_is_three_months(client, lots, facilitator):
    client.force_login(facilitator)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["months"] == 3
    assert titles(response.context["upcoming"]) == ["Gros œuvre du gymnase", "Charpente"]
    assert titles(response.context["started"]) == ["Voirie en cours"]
    assert response.context["upcoming_hours"] == Decimal("1500")
    assert response.context["upcoming_without_offer"] == 1


@pytest.mark.parametrize(
    "months, expected",
    [
        ("1", ["Gros œuvre du gymnase"]),
        ("3", ["Gros œuvre du gymnase", "Charpente"]),
        ("6", ["Gros œuvre du gymnase", "Charpente", "Couverture"]),
        ("12", ["Gros œuvre du gymnase", "Charpente", "Couverture"]),
        ("7", ["Gros œuvre du gymnase", "Charpente"]),  # not a choice: the default window
        ("abc", ["Gros œuvre du gymnase", "Charpente"]),
    ],
)
def test_window_filter(client, lots, facilitator, months, expected):
    client.force_login(facilitator)
    assert titles(client.get(URL, {"months": months}).context["upcoming"]) == expected


def test_page_shows_hours_holders_and_open_offers(client, lots, facilitator):
    client.force_login(facilitator)
    response = client.get(URL)
    page = html.unescape(response.content.decode())
    soon = response.context["upcoming"][0]
    assert [offer.position for offer in soon.open_offers] == ["Maçon"]
    assert soon.open_offers[0].candidacy_count == 1
    assert "1\xa0200 h" in page  # French thousands separator
    assert "Bâtir Bresse Construction" in page and "Tremplin Bresse" in page and "(sous-traitant)" in page
    assert "Poste annulé" not in page and "Peintre" not in page and "Offre oubliée" not in page
    assert "Lot sans clause" not in page and "Lot d'une autre structure" not in page
    assert "Aucune offre" in page  # the Charpente lot has none yet
    assert reverse("placements:offer_create", args=[lots["in_two_months"].pk]) in page
    assert reverse("placements:offer_detail", args=[soon.open_offers[0].pk]) in page


def test_no_create_link_on_a_lot_without_awarded_company(client, lots, facilitator):
    client.force_login(facilitator)
    client_page = client.get(URL, {"months": "6"}).content.decode()
    assert reverse("placements:offer_create", args=[lots["in_five_months"].pk]) not in client_page


def test_each_facilitator_sees_the_lots_of_its_body(client, lots):
    other = user_with_role(Role.FACILITATOR, organisation=lots["other_body"])
    client.force_login(other)
    response = client.get(URL)
    assert titles(response.context["upcoming"]) == ["Lot d'une autre structure"]
    assert response.context["started"] == []


def test_administrator_sees_every_lot(client, lots, administrator):
    client.force_login(administrator)
    response = client.get(URL)
    assert titles(response.context["upcoming"]) == [
        "Lot d'une autre structure",
        "Gros œuvre du gymnase",
        "Charpente",
    ]


@pytest.mark.parametrize("who", [Role.DEPARTMENT_READER, Role.BUYER, Role.EMPLOYER])
def test_other_roles_get_403(client, users_by_role, who):
    client.force_login(users_by_role[who])
    assert client.get(URL).status_code == 403


OUTLOOK_QUERIES = 11


def test_outlook_query_count_does_not_grow(client, facilitator, django_assert_num_queries):
    holder = OrganisationFactory()
    first = lot_starting(10, "Premier lot")
    award(first, holder)
    JobOfferFactory(lot=first, employer=holder)
    client.force_login(facilitator)
    with django_assert_num_queries(OUTLOOK_QUERIES):
        client.get(URL)
    for index in range(10):
        lot = lot_starting(5 + index, f"Lot {index}")
        award(lot, OrganisationFactory())
        JobOfferFactory(lot=lot, employer=holder)
        running = lot_starting(-30 - index, f"En cours {index}")
        JobOfferFactory(lot=running, employer=holder)
    with django_assert_num_queries(OUTLOOK_QUERIES):
        response = client.get(URL)
    assert len(response.context["upcoming"]) == 11 and len(response.context["started"]) == 10
