"""The home of the employer's portal: their lots and people, the last 12 months, what is left to declare."""

import html
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from partners.roles import Role
from placements.models import MonthlyDeclaration
from tests.clauses.factories import ClauseFactory, award
from tests.partners.factories import user_with_role
from tests.placements.factories import CriterionFactory, PlacementFactory, declared_month, eligible_participant

HOME = reverse("placements:portal_home")
TODAY = date(2026, 9, 15)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("portal.home_views.today", lambda: TODAY)


@pytest.fixture
def company(employer):
    return employer.memberships.get().organisation


@pytest.fixture
def world(company):
    """A lot awarded to the company (833 h required, 1 Jan – 31 Dec 2026), two people on it."""
    lot = ClauseFactory(lot__title="Gros œuvre du collège").lot
    award(lot, company)
    alice = PlacementFactory(
        employer=company, lot=lot, participant=eligible_participant(first_name="Alice", last_name="Martin")
    )
    bruno = PlacementFactory(
        employer=company,
        lot=lot,
        participant=eligible_participant(first_name="Bruno", last_name="Petit"),
        start_date=date(2026, 5, 4),
        end_date=None,
    )
    CriterionFactory(participant=alice.participant, criterion="QPV")
    return {"lot": lot, "alice": alice, "bruno": bruno}


def text(response):
    """What a person reads: the page without its tags."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def test_lots_with_hours_required_validated_and_expected(client, employer, world):
    declared_month(world["alice"], "120", status="validated")
    declared_month(world["alice"], "100", month=date(2026, 4, 1), status="pending")  # not validated: not counted
    client.force_login(employer)
    response = client.get(HOME)
    assert response.status_code == 200
    page = text(response)
    group = response.context["lot_groups"][0]
    assert group["lot"] == world["lot"]
    progress = group["progress"]
    assert progress.required == 833 and progress.done == 120
    assert progress.expected == world["lot"].progress(TODAY).expected > 0
    assert "Gros œuvre du collège" in page
    assert "833 h" in page and "120 h" in page and f"{progress.expected:.0f} h" in page
    assert "Attendues au 15/09/2026" in page


def test_people_with_names_and_dates_but_no_eligibility(client, employer, world):
    client.force_login(employer)
    page = text(client.get(HOME))
    assert "Alice Martin" in page and "Bruno Petit" in page
    assert "du 02/03/2026 au 31/08/2026" in page and "du 04/05/2026 (fin non connue)" in page
    assert "en poste" in page and "terminé" in page
    for sensitive in ("RSA", "QPV", "Bénéficiaire", "quartier prioritaire", "handicap", "éligib"):
        assert sensitive not in page


def test_the_last_twelve_months_and_their_state(client, employer, company, world):
    declared_month(world["alice"], "140", status="validated")  # March
    declared_month(world["alice"], "130", month=date(2026, 4, 1), status="pending")
    declared_month(world["alice"], "120", month=date(2026, 5, 1), status="rejected")
    declared_month(world["alice"], "110", month=date(2026, 6, 1), status="draft")
    MonthlyDeclaration.objects.create(employer=company, month=date(2026, 7, 1))  # opened, nothing typed
    client.force_login(employer)
    response = client.get(HOME)
    months = response.context["months"]
    assert [row.month for row in months][:2] == [date(2026, 9, 1), date(2026, 8, 1)]
    assert len(months) == 12 and months[-1].month == date(2025, 10, 1)
    states = {row.month: row.state["label"] for row in months}
    assert states[date(2026, 3, 1)] == "Validée"
    assert states[date(2026, 4, 1)] == "Transmise"
    assert states[date(2026, 5, 1)] == "À corriger"
    assert states[date(2026, 6, 1)] == "Brouillon"
    assert states[date(2026, 7, 1)] == "Non commencée"
    assert states[date(2026, 2, 1)] == "Rien à déclarer"
    page = response.content.decode()
    for row in months:
        url = reverse("placements:declaration_grid", args=[row.month.year, f"{row.month.month:02d}"])
        assert f'href="{url}"' in page


def test_still_to_declare_lists_months_without_submitted_lines_previous_month_first(client, employer, world):
    declared_month(world["alice"], "140", status="pending")  # March: transmitted
    declared_month(world["alice"], "120", month=date(2026, 5, 1), status="rejected")  # May: to correct
    declared_month(world["bruno"], "35", month=date(2026, 6, 1), status="draft")  # June: draft only
    client.force_login(employer)
    response = client.get(HOME)
    to_declare = [row.month for row in response.context["to_declare"]]
    # August (previous month) first; not September (running), March (sent) or May (sent, to correct).
    assert to_declare == [date(2026, 8, 1), date(2026, 7, 1), date(2026, 6, 1), date(2026, 4, 1)]
    assert [row.month for row in response.context["to_correct"]] == [date(2026, 5, 1)]
    page = text(response)
    assert "Ce qu'il vous reste à faire" in page
    assert "Août 2026 : 2 personnes à déclarer — rien n'est encore saisi" in page
    assert "Juin 2026 : 2 personnes à déclarer — brouillon commencé, pas encore transmis" in page
    assert "Avril 2026 : 1 personne à déclarer" in page
    assert "Mai 2026 : le facilitateur a refusé des heures" in page
    assert page.index("Août 2026 : 2 personnes") < page.index("Juillet 2026 :") < page.index("Juin 2026 :")
    assert "Septembre 2026 est en cours" in page


def test_everything_declared_says_so(client, employer, company):
    lot = ClauseFactory().lot
    award(lot, company)
    placement = PlacementFactory(employer=company, lot=lot, start_date=date(2026, 8, 3), end_date=None)
    declared_month(placement, "120", month=date(2026, 8, 1), status="validated")
    client.force_login(employer)
    response = client.get(HOME)
    assert response.context["to_declare"] == []
    assert "Tout est à jour" in text(response)


def test_an_employer_sees_only_their_organisation(client, employer, world):
    stranger = PlacementFactory(participant=eligible_participant(first_name="Eve", last_name="Secret"))
    award(stranger.lot, stranger.employer)
    client.force_login(employer)
    page = text(client.get(HOME))
    assert "Eve Secret" not in page and stranger.lot.title + " " not in page.replace("Gros œuvre du collège", "")
    assert client.get(f"{HOME}?employeur={stranger.employer.pk}").status_code == 404
    assert client.get(f"{HOME}?employeur=abc").status_code == 404


def test_a_lot_with_people_but_no_award_is_listed_without_progress(client, employer, company):
    lot = ClauseFactory(lot__title="Lot sans attribution").lot
    PlacementFactory(employer=company, lot=lot, participant=eligible_participant(first_name="Gina", last_name="Lopez"))
    client.force_login(employer)
    response = client.get(HOME)
    group = response.context["lot_groups"][0]
    assert group["lot"] == lot and group["progress"] is None
    page = text(response)
    assert "Gina Lopez" in page and "sans être attributaire du lot" in page


# Access ------------------------------------------------------------------------------------


def test_employer_home_is_linked_from_the_navigation(client, employer, world):
    client.force_login(employer)
    assert f'href="{HOME}"' in client.get(reverse("home")).content.decode()


def test_administrator_chooses_an_employer(client, administrator, company, world):
    client.force_login(administrator)
    response = client.get(HOME)
    assert response.status_code == 200
    assert company in list(response.context["choices"])
    assert "Choisissez l'entreprise ou la structure" in text(response)
    response = client.get(f"{HOME}?employeur={company.pk}")
    assert response.status_code == 200
    page = text(response)
    assert "Alice Martin" in page
    grid = reverse("placements:declaration_grid", args=[2026, "08"])
    assert f"{grid}?employeur={company.pk}" in response.content.decode()


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.DEPARTMENT_READER, Role.BUYER])
def test_other_roles_get_403(client, users_by_role, world, role):
    client.force_login(users_by_role[role])
    assert client.get(HOME).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(HOME)
    assert response.status_code == 302 and "/compte/login/" in response.url


def test_an_employer_of_a_structure_without_anything_yet(client, db):
    client.force_login(user_with_role(Role.EMPLOYER))
    response = client.get(HOME)
    assert response.status_code == 200
    page = text(response)
    assert "Aucun lot pour l'instant" in page and "Tout est à jour" in page


HOME_QUERIES = 6


def test_home_query_count_does_not_grow(client, employer, company, world, django_assert_num_queries):
    client.force_login(employer)
    client.get(HOME)
    with django_assert_num_queries(HOME_QUERIES):
        client.get(HOME)
    for index in range(10):
        lot = ClauseFactory().lot
        award(lot, company)
        placement = PlacementFactory(employer=company, lot=lot)
        declared_month(placement, "35", month=date(2026, 3 + index % 5, 1), status="validated")
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(HOME)
    assert len(response.context["lot_groups"]) == 11
