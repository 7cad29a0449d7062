"""Every view of clauses for every role: the right user, outsiders (404), read-only users (403)."""

import pytest
from django.urls import reverse

from clauses.models import InvoicedAmount
from partners.models import Organisation
from partners.roles import Role
from tests.clauses.factories import ClauseFactory, award
from tests.partners.factories import OrganisationFactory, user_with_role


@pytest.fixture
def world(db, users_by_role):
    """A lot followed by the Département, bought by the buyer fixture, awarded to the employer fixture."""
    buyer_org = users_by_role[Role.BUYER].memberships.get().organisation
    clause = ClauseFactory(
        lot__contract__operation__buyer=buyer_org,
        method="per_euro_invoiced",
        euros_per_hour=2000,
        lot__contract__is_purchase_order_framework=True,
    )
    lot = clause.lot
    company = users_by_role[Role.EMPLOYER].memberships.get().organisation
    lot_award = award(lot, company)
    invoiced = InvoicedAmount.objects.create(lot=lot, period_start="2026-01-01", period_end="2026-03-31", amount=1000)
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY)
    users = dict(users_by_role)
    users["other_facilitator"] = user_with_role(Role.FACILITATOR, organisation=other_body)
    users["other_buyer"] = user_with_role(Role.BUYER)
    users["other_employer"] = user_with_role(Role.EMPLOYER)
    return {
        "lot": lot,
        "contract": lot.contract,
        "operation": lot.contract.operation,
        "award": lot_award,
        "invoiced": invoiced,
        "users": users,
    }


def read_urls(world):
    return [
        reverse("clauses:operation_detail", args=[world["operation"].pk]),
        reverse("clauses:contract_detail", args=[world["contract"].pk]),
        reverse("clauses:lot_detail", args=[world["lot"].pk]),
    ]


def write_urls(world):
    return [
        reverse("clauses:operation_update", args=[world["operation"].pk]),
        reverse("clauses:contract_create", args=[world["operation"].pk]),
        reverse("clauses:contract_update", args=[world["contract"].pk]),
        reverse("clauses:lot_create", args=[world["contract"].pk]),
        reverse("clauses:lot_update", args=[world["lot"].pk]),
        reverse("clauses:award_create", args=[world["lot"].pk]),
        reverse("clauses:award_delete", args=[world["award"].pk]),
        reverse("clauses:invoiced_create", args=[world["lot"].pk]),
        reverse("clauses:invoiced_delete", args=[world["invoiced"].pk]),
    ]


@pytest.mark.parametrize("who", [Role.ADMINISTRATOR, Role.FACILITATOR])
def test_editors_read_and_write(client, world, who):
    client.force_login(world["users"][who])
    for url in read_urls(world) + write_urls(world):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("clauses:operation_create")).status_code == 200


@pytest.mark.parametrize("who", [Role.DEPARTMENT_READER, Role.BUYER, Role.EMPLOYER])
def test_read_only_users_read_and_get_403_on_writes(client, world, who):
    client.force_login(world["users"][who])
    for url in read_urls(world):
        assert client.get(url).status_code == 200, url
    for url in write_urls(world):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert client.get(reverse("clauses:operation_create")).status_code == 403
    assert client.post(reverse("clauses:operation_create"), {}).status_code == 403
    assert client.post(reverse("clauses:hours_calculator"), {}).status_code == 403
    assert world["award"].__class__.objects.filter(pk=world["award"].pk).exists()
    assert InvoicedAmount.objects.filter(pk=world["invoiced"].pk).exists()


@pytest.mark.parametrize("who", ["other_facilitator", "other_buyer", "other_employer"])
def test_outsiders_get_404(client, world, who):
    client.force_login(world["users"][who])
    for url in read_urls(world) + write_urls(world):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert InvoicedAmount.objects.filter(pk=world["invoiced"].pk).exists()


def test_employer_does_not_see_other_lots_of_the_same_contract(client, world):
    from tests.clauses.factories import LotFactory

    other_lot = LotFactory(contract=world["contract"], title="Lot d'un concurrent")
    client.force_login(world["users"][Role.EMPLOYER])
    assert client.get(reverse("clauses:lot_detail", args=[other_lot.pk])).status_code == 404
    html = client.get(reverse("clauses:contract_detail", args=[world["contract"].pk])).content.decode()
    assert "Lot d&#x27;un concurrent" not in html and "Lot d'un concurrent" not in html


@pytest.mark.parametrize(
    "who", [Role.ADMINISTRATOR, Role.FACILITATOR, Role.DEPARTMENT_READER, Role.BUYER, Role.EMPLOYER]
)
def test_lists_for_every_role(client, world, who):
    client.force_login(world["users"][who])
    lots = client.get(reverse("clauses:lot_list"))
    assert lots.status_code == 200
    assert [lot.pk for lot, _ in lots.context["page"].object_list] == [world["lot"].pk]
    operations = client.get(reverse("clauses:operation_list"))
    assert operations.status_code == 200
    assert [op.pk for op, _ in operations.context["page"].object_list] == [world["operation"].pk]
    contracts = client.get(reverse("clauses:contract_list"))
    assert [c.pk for c, _ in contracts.context["page"].object_list] == [world["contract"].pk]


@pytest.mark.parametrize("who", ["other_facilitator", "other_buyer", "other_employer"])
def test_lists_are_empty_for_outsiders(client, world, who):
    client.force_login(world["users"][who])
    assert list(client.get(reverse("clauses:lot_list")).context["page"].object_list) == []
    assert list(client.get(reverse("clauses:operation_list")).context["page"].object_list) == []
    assert list(client.get(reverse("clauses:contract_list")).context["page"].object_list) == []


def test_directory_page_shows_operations_of_a_buyer_and_lots_of_a_company(client, world, facilitator):
    client.force_login(facilitator)
    buyer_page = client.get(reverse("partners:organisation_detail", args=[world["operation"].buyer_id]))
    assert world["operation"].title in buyer_page.content.decode()
    company_page = client.get(reverse("partners:organisation_detail", args=[world["award"].company_id]))
    html = company_page.content.decode()
    assert "Lots attribués" in html and f"lot {world['lot'].number}" in html
