"""Shared data of the tests of placements, follow-ups, outcomes and their reminder (no tests here).

Dates are relative to today: the forms refuse dates in the future.
"""

from datetime import timedelta
from decimal import Decimal

from common.dates import today
from partners.models import Organisation
from partners.roles import Role
from placements.models import Placement
from placements.services import save_placement
from tests.clauses.factories import ClauseFactory, award
from tests.partners.factories import OrganisationFactory, user_with_role
from tests.placements.factories import eligible_participant

CRITERION_WORDS = ["RSA", "Bénéficiaire du RSA", "critère", "Éligibilité", "éligibilité"]


def days(n):
    return today() + timedelta(days=n)


def lot_around_today(**fields):
    """A lot followed by the Département, running from 400 days ago to 300 days from now."""
    start, end = days(-400), days(300)
    return ClauseFactory(
        lot__contract__start_date=start,
        lot__contract__end_date=end,
        lot__start_date=start,
        lot__end_date=end,
        **fields,
    ).lot


def place(participant, lot, employer, start, end, **fields):
    """A placement saved as the views save it: follow-ups and outcomes planned."""
    fields.setdefault("mode", Placement.Mode.DIRECT_HIRE)
    fields.setdefault("contract_type", "cdd")
    fields.setdefault("weekly_hours", Decimal("35"))
    placement = Placement(participant=participant, lot=lot, employer=employer, start_date=start, end_date=end, **fields)
    return save_placement(placement)


def build_world(users_by_role):
    """A lot of the Département awarded to the employer fixture's company, and a placement on it
    that started 120 days ago and ended 10 days ago (its exit outcome is overdue)."""
    company = users_by_role[Role.EMPLOYER].memberships.get().organisation
    lot = lot_around_today()
    award(lot, company)
    participant = eligible_participant(first_name="Samira", last_name="Haddad")
    placement = place(participant, lot, company, days(-120), days(-10))
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY, name="PLIE voisin")
    users = dict(users_by_role)
    users["other_facilitator"] = user_with_role(Role.FACILITATOR, organisation=other_body)
    users["other_employer"] = user_with_role(Role.EMPLOYER)
    users["other_buyer"] = user_with_role(Role.BUYER)
    return {
        "company": company,
        "lot": lot,
        "participant": participant,
        "placement": placement,
        "other_body": other_body,
        "users": users,
    }
