"""A small territory relative to the suite's day: a lot of the Département with a clause, held by the
employer fixture's company, and a person working on it since the month before last."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken
from common.dates import today
from partners.models import Organisation
from partners.roles import Role
from placements import declaration_rules as rules
from tests.clauses.factories import ClauseFactory, award
from tests.partners.factories import OrganisationFactory, user_with_role
from tests.placements.factories import PlacementFactory, eligible_participant


def client_of(user):
    """An API client that sends a new token of ``user``."""
    _, secret = ApiToken.issue(user, "Test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def last_month():
    return rules.previous_month(today())


@pytest.fixture
def company(employer):
    return employer.memberships.get().organisation


@pytest.fixture
def buyer_organisation(buyer):
    return buyer.memberships.get().organisation


def make_lot(buyer=None, body=None, **fields):
    """A lot with a clause, running from 400 days ago to 400 days from now."""
    start = today() - timedelta(days=400)
    kwargs = {
        "lot__contract__start_date": start,
        "lot__contract__end_date": today() + timedelta(days=400),
        "lot__contract__operation__facilitation_body": body or Organisation.objects.department().get(),
        **fields,
    }
    if buyer is not None:
        kwargs["lot__contract__operation__buyer"] = buyer
    return ClauseFactory(**kwargs).lot


@pytest.fixture
def lot(company, buyer_organisation):
    lot = make_lot(buyer=buyer_organisation)
    award(lot, company)
    return lot


def make_placement(lot, employer, **fields):
    start = rules.previous_month(rules.previous_month(today()))
    return PlacementFactory(
        lot=lot, employer=employer, start_date=start, end_date=None, participant=eligible_participant(), **fields
    )


@pytest.fixture
def placement(lot, company):
    return make_placement(lot, company)


@pytest.fixture
def other_body():
    return OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY, name="Maison de l'emploi voisine")


@pytest.fixture
def other_facilitator(other_body):
    return user_with_role(Role.FACILITATOR, organisation=other_body)
