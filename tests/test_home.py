"""The home page of each role shows what it follows, in a bounded number of queries."""

from django.urls import reverse

from partners.roles import Role
from tests.clauses.factories import ClauseFactory, award


def test_employer_home_lists_only_the_lots_awarded_to_it(client, employer):
    company = employer.memberships.get().organisation
    mine = ClauseFactory(lot__title="Gros œuvre du collège").lot
    award(mine, company)
    ClauseFactory(lot__title="Lot d'un autre")
    client.force_login(employer)
    response = client.get(reverse("home"))
    assert [lot.pk for lot, _ in response.context["clauses"]["lots"]] == [mine.pk]
    assert "Vos lots" in response.content.decode()


def test_buyer_home_lists_its_own_operations(client, buyer):
    organisation = buyer.memberships.get().organisation
    mine = ClauseFactory(lot__contract__operation__buyer=organisation).lot
    ClauseFactory()
    client.force_login(buyer)
    summary = client.get(reverse("home")).context["clauses"]
    assert summary["lot_count"] == 1 and summary["operation_count"] == 1
    assert summary["total"].required == mine.clause.computed_hours


def test_home_query_count_does_not_grow(client, administrator, django_assert_num_queries):
    """The administrator's home (the facilitator's is their dashboard: tests/reporting)."""
    ClauseFactory()
    client.force_login(administrator)
    with django_assert_num_queries(9):
        client.get(reverse("home"))
    for _ in range(10):
        ClauseFactory()
    with django_assert_num_queries(9):
        response = client.get(reverse("home"))
    assert response.context["clauses"]["lot_count"] == 11
    assert response.context["role"] == Role.ADMINISTRATOR
