"""The facilitator's dashboard (their home page) and the Département's (aggregated, no names)."""

import html
from datetime import date

import pytest
from django.urls import reverse

from clauses import models as clause_models
from partners.models import Sector
from tests.partners.factories import user_with_role
from tests.reporting import dataset

FACILITATOR_URL = reverse("reporting:facilitator_dashboard")
DEPARTMENT_URL = reverse("reporting:department_dashboard")
NAMES = ("Alpha", "Bravo", "Charlie", "Delta", "Echo")


@pytest.fixture
def world(db, monkeypatch):
    """The dataset, looked at on 1 July 2026."""
    from clauses import progress
    from reporting import dashboard_forms, dashboard_views

    for module in (clause_models, progress, dashboard_views, dashboard_forms):
        monkeypatch.setattr(module, "today", lambda: dataset.ON)
    return dataset.build()


def text_of(response):
    return " ".join(html.unescape(response.content.decode()).split())


# The facilitator ----------------------------------------------------------------------------


def test_facilitator_home_is_the_dashboard_of_their_territory(client, world, facilitator):
    client.force_login(facilitator)
    response = client.get(reverse("home"), {"year": 2026})
    assert response.status_code == 200
    page = text_of(response)
    assert "Tableau de bord du facilitateur" in page
    # The Département's body follows lots 1 and 2 (Bourg-en-Bresse), not lot 3 (Trévoux).
    figures = response.context["figures"]
    assert (figures.hours.required, figures.hours.validated) == (911, 350)
    assert "911 h" in page and "350 h" in page and "38,4 % des heures exigées" in page
    assert figures.profile.total == 3 and figures.placements_running == 1
    # What waits: Bruno's February hours are pending; lots 1 and 2 are behind on 1 July.
    work = response.context["work"]
    assert (work.lines_to_validate, work.declarations_to_validate) == (1, 1)
    assert "Lot 1 — Gros œuvre" in page and "Lots en retard" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in response.content.decode()


def test_year_choices_are_bare_numbers(client, world, facilitator, department_reader):
    """French formats would write 2026 as « 2 026 », which the form would then refuse."""
    for user, url in ((facilitator, FACILITATOR_URL), (department_reader, DEPARTMENT_URL)):
        client.force_login(user)
        page = client.get(url, {"year": 2026}).content.decode()
        assert '<option value="2026" selected>' in page and "2\xa0026" not in page


def test_facilitator_dashboard_shows_an_error_for_a_bad_year(client, world, facilitator):
    client.force_login(facilitator)
    response = client.get(FACILITATOR_URL, {"year": "deux mille"})
    assert response.status_code == 200
    assert "L'année en cours est affichée." in text_of(response)
    assert response.context["figures"].period.start == date(2026, 1, 1)


def test_facilitator_dashboard_access(client, world, users_by_role):
    allowed = {"administrator", "facilitator"}
    for role, user in users_by_role.items():
        client.force_login(user)
        assert client.get(FACILITATOR_URL).status_code == (200 if role in allowed else 404), role
    client.force_login(users_by_role["facilitator"])
    assert client.post(FACILITATOR_URL).status_code == 405


def test_facilitator_of_another_body_sees_only_their_lots(client, world):
    other = user_with_role("facilitator", organisation=world["other_body"])
    client.force_login(other)
    figures = client.get(FACILITATOR_URL, {"year": 2026}).context["figures"]
    assert (figures.lots, figures.hours.required, figures.hours.validated) == (1, 306, 285)


# The Département ----------------------------------------------------------------------------


def test_department_reader_home_is_the_department_dashboard(client, world, department_reader):
    client.force_login(department_reader)
    response = client.get(reverse("home"), {"year": 2026})
    page = text_of(response)
    assert "Tableau de bord du Département" in page
    for figure in ("1 217 h", "635 h", "52,2 %", "50,0 %", "200 000 €", "50 000 €"):
        assert figure in page, figure
    assert "CA du Bassin de Bourg-en-Bresse" in page and "Val de Saône Dombes" in page
    assert "Commune de Trévoux" in page and "TP Dombes" in page
    years = response.context["years"]
    assert [(row.label, row.validated) for row in years] == [("2023", 0), ("2024", 0), ("2025", 231), ("2026", 635)]


def test_department_dashboard_never_names_a_person(client, world, department_reader, administrator):
    for user in (department_reader, administrator):
        client.force_login(user)
        page = text_of(client.get(DEPARTMENT_URL, {"year": 2026}))
        assert not [name for name in NAMES if name in page]


def test_department_dashboard_by_sector(client, world, department_reader):
    client.force_login(department_reader)
    sector = Sector.objects.get(name="Val de Saône Dombes")
    response = client.get(DEPARTMENT_URL, {"year": 2026, "scope": f"sector:{sector.pk}"})
    figures = response.context["figures"]
    assert (figures.hours.required, figures.hours.validated) == (306, 285)
    assert "Secteur départemental : Val de Saône Dombes" in text_of(response)


def test_department_dashboard_explains_a_bad_scope(client, world, department_reader):
    client.force_login(department_reader)
    response = client.get(DEPARTMENT_URL, {"year": 2026, "scope": "epci:999999"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text_of(response)
    assert response.context["figures"].scope.kind == "all"


def test_department_dashboard_access(client, world, users_by_role):
    allowed = {"administrator", "department_reader"}
    for role, user in users_by_role.items():
        client.force_login(user)
        assert client.get(DEPARTMENT_URL).status_code == (200 if role in allowed else 404), role
    client.force_login(users_by_role["department_reader"])
    assert client.post(DEPARTMENT_URL).status_code == 405


def test_navigation_entry_for_the_department(client, world, administrator, department_reader, facilitator):
    client.force_login(administrator)
    assert 'href="/pilotage/"' in client.get(DEPARTMENT_URL).content.decode()
    # Department readers find it at home; facilitators do not see the whole of Ain.
    # (the reader's home page is the dashboard itself, whose tabs link to it: only the main
    # navigation counts here).
    for user in (department_reader, facilitator):
        client.force_login(user)
        nav = [item.url for item in client.get(reverse("home")).context["nav_items"]]
        assert "/pilotage/" not in nav


# Queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("builds", [1, 2])  # twice the lots, people and hours: the same count
def test_dashboards_do_a_bounded_number_of_queries(
    client, world, facilitator, department_reader, django_assert_num_queries, builds
):
    for _ in range(builds - 1):
        dataset.build()
    for user, url, queries in (
        (facilitator, FACILITATOR_URL, FACILITATOR_QUERIES),
        (department_reader, DEPARTMENT_URL, DEPARTMENT_QUERIES),
    ):
        client.force_login(user)
        with django_assert_num_queries(queries):
            assert client.get(url, {"year": 2026}).status_code == 200


# The facilitator's page reads the counting rules the hours were counted with (placements.counting);
# they are cached then, and the Département's page, seen next, does not read them again.
# The indicators read the invoices of the lots by hours per euro invoiced, the lots that can be
# behind as they stood on the day they are judged and the hours required in each month summed by
# the database (three queries each time; two more for the Département's year-by-year table, which
# reads the lots by hours per euro invoiced and their invoices). The facilitator's weekly digest
# adds four: the ids of the user's lots and those that fell behind this week, the declarations
# missing, the outcomes due; one for the holders the Sirene register says closed
# (reporting.digest_closed_holders, kept with the digest); and one for the contracts published this
# week (reporting.digest_published, read for each request).
FACILITATOR_QUERIES = 33
DEPARTMENT_QUERIES = 26


def test_declarations_to_correct_count_only_those_with_a_followed_line(client, world, facilitator):
    """Every declaration of the dataset sent back for correction: each facilitator counts those
    holding a line of a placement their body follows (the other body follows only Trévoux's lot)."""
    from placements.models import DeclarationLine, MonthlyDeclaration, Placement

    MonthlyDeclaration.objects.update(status=MonthlyDeclaration.Status.TO_CORRECT)
    other = user_with_role("facilitator", organisation=world["other_body"])
    counts = {}
    for user in (facilitator, other):
        client.force_login(user)
        counts[user] = client.get(FACILITATOR_URL, {"year": 2026}).context["work"].declarations_to_correct
        followed = DeclarationLine.objects.filter(placement__in=Placement.objects.for_user(user))
        assert counts[user] == followed.values("declaration").distinct().count()
    assert (counts[facilitator], counts[other], MonthlyDeclaration.objects.count()) == (10, 3, 10)
