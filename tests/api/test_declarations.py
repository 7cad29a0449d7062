"""The employers' monthly hours by API: the portal grid's service, all or nothing, errors per line."""

from datetime import timedelta
from decimal import Decimal

import pytest

from common.dates import today
from placements import declaration_rules as rules
from placements.models import DeclarationLine, MonthlyDeclaration
from tests.api.conftest import client_of, make_placement
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/declarations/"


def payload(month, *lines, **extra):
    return {"month": f"{month:%Y-%m}", "lines": [{"placement": p, "hours": h} for p, h in lines], **extra}


def test_an_employer_declares_a_month_then_corrects_it(employer, company, placement, last_month):
    client = client_of(employer)
    response = client.post(URL, payload(last_month, (placement.pk, "35,5")), format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {
        "employer": company.pk,
        "month": f"{last_month:%Y-%m}",
        "status": MonthlyDeclaration.Status.DRAFT,
        "revision": 1,
        "lines": [{"placement": placement.pk, "hours": "35.50", "status": "draft", "version": 1, "counted": True}],
    }
    again = client.post(URL, payload(last_month, (placement.pk, "36")), format="json")
    assert again.status_code == 200
    line = DeclarationLine.objects.get(placement=placement, is_current=True)
    assert line.hours == Decimal("36") and line.created_by == employer


def test_one_wrong_line_saves_nothing_and_each_error_names_its_line(employer, company, lot, placement, last_month):
    second = make_placement(lot, company)
    stranger = make_placement(lot, OrganisationFactory())
    body = payload(last_month, (placement.pk, "35"), (second.pk, "-2"), (stranger.pk, "10"), (second.pk, "abc"))
    response = client_of(employer).post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Rien n'a été enregistré")
    assert response.json()["errors"] == [
        {"line": 4, "placement": second.pk, "message": "« abc » n'est pas un nombre d'heures."}
    ]
    body = payload(last_month, (placement.pk, "35"), (second.pk, "-2"), (stranger.pk, "10"))
    errors = client_of(employer).post(URL, body, format="json").json()["errors"]
    assert {(error["line"], error["placement"]) for error in errors} == {(2, second.pk), (3, stranger.pk)}
    messages = {error["line"]: error["message"] for error in errors}
    assert messages[2] == "Les heures ne peuvent pas être négatives."
    assert messages[3] == "Cette personne ne travaille pas pour vous sur un lot ce mois-ci."
    assert not DeclarationLine.objects.exists()
    assert not MonthlyDeclaration.objects.exists()


def test_the_monthly_maximum_per_person_is_the_grids(employer, placement, last_month):
    response = client_of(employer).post(URL, payload(last_month, (placement.pk, "209")), format="json")
    assert response.status_code == 400
    assert "durée maximale" in response.json()["errors"][0]["message"]


def test_a_month_to_come_or_a_malformed_body_is_refused_in_french(employer, placement):
    client = client_of(employer)
    next_month = rules.first_day(rules.last_day(today()) + timedelta(days=1))
    response = client.post(URL, payload(next_month, (placement.pk, "10")), format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "line": None,
            "placement": None,
            "field": "month",
            "message": "On ne déclare pas les heures d'un mois qui n'a pas commencé.",
        }
    ]
    assert (
        client.post(
            URL, {"month": "2027-13", "lines": [{"placement": placement.pk, "hours": "1"}]}, format="json"
        ).status_code
        == 400
    )
    empty = client.post(URL, {"month": "2027-01", "lines": []}, format="json")
    assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "lines"
    no_hours = client.post(URL, {"month": "2027-01", "lines": [{"placement": placement.pk}]}, format="json")
    assert no_hours.json()["errors"] == [
        {"line": 1, "placement": None, "field": "hours", "message": "Ce champ est obligatoire."}
    ]


def test_only_employers_declare_and_only_for_their_own_organisation(
    employer, facilitator, department_reader, buyer, placement, last_month
):
    body = payload(last_month, (placement.pk, "10"))
    for user in (facilitator, department_reader, buyer):
        assert client_of(user).post(URL, body, format="json").status_code == 403
    other = OrganisationFactory()
    assert client_of(employer).post(URL, {**body, "employer": other.pk}, format="json").status_code == 404
    assert not DeclarationLine.objects.exists()


def test_an_administrator_declares_for_the_employer_they_name(administrator, company, placement, last_month):
    client = client_of(administrator)
    body = payload(last_month, (placement.pk, "10"))
    assert client.post(URL, body, format="json").json()["errors"][0]["field"] == "employer"
    assert client.post(URL, {**body, "employer": company.pk}, format="json").status_code == 201
