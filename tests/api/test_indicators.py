"""Indicators by API: the dashboards' ``indicators.compute`` for a scope and a year, among the user's lots."""

import pytest

from common.dates import today
from reporting import indicators
from reporting.permissions import visible_lots
from reporting.rules import Period
from reporting.scope import Scope
from tests.api.conftest import client_of, make_lot
from tests.placements.factories import declared_month

pytestmark = pytest.mark.django_db
URL = "/api/v1/indicators/"


def test_the_figures_are_those_of_the_dashboards(facilitator, lot, placement, last_month):
    declared_month(placement, "70", month=last_month, status="validated")
    make_lot()
    year = last_month.year
    data = client_of(facilitator).get(f"{URL}?annee={year}").json()
    expected = indicators.compute(Period.year(year), Scope(), lots=visible_lots(facilitator), on=today())
    assert data["hours"]["validated"] == f"{expected.hours.validated:.2f}" == "70.00"
    assert data["lots"] == expected.lots and data["placements"] == expected.placements == 1
    assert data["people"] == 1 and data["scope"]["kind"] == "all"
    assert len(data["by_month"]) == 12


def test_a_buyer_reads_only_their_contracts(buyer, buyer_organisation, lot):
    make_lot()  # another buyer's
    data = client_of(buyer).get(URL).json()
    assert data["lots"] == 1
    scoped = client_of(buyer).get(f"{URL}?perimetre=buyer&perimetre_id={buyer_organisation.pk}").json()
    assert scoped["lots"] == 1 and scoped["scope"]["id"] == buyer_organisation.pk


def test_employers_get_403_and_a_wrong_scope_400(employer, department_reader):
    assert client_of(employer).get(URL).status_code == 403
    client = client_of(department_reader)
    assert client.get(f"{URL}?perimetre=epci").json() == {"perimetre": ["Choisissez l'élément du périmètre."]}
    assert client.get(f"{URL}?annee=deux").status_code == 400
    assert client.get(f"{URL}?annee=1900").status_code == 400
