"""Each resource through the pages' ``for_user``: the right user reads it, an outsider gets 404 and
nothing in the lists; personal data for facilitators of the person's body only; bounded queries."""

import pytest

from clauses.models import Lot
from tests.api.conftest import client_of, make_lot, make_placement
from tests.clauses.factories import award
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_lot_comes_with_its_clause_and_the_progress_of_the_lot_pages(facilitator, lot, placement):
    from tests.placements.factories import declared_month

    declared_month(placement, "35.50", status="validated")
    data = client_of(facilitator).get(f"/api/v1/lots/{lot.pk}/").json()
    progress = Lot.objects.with_progress_figures().get(pk=lot.pk).progress()
    assert data["progress"] == {
        "required": f"{progress.required:.2f}",
        "expected": f"{progress.expected:.2f}",
        "done": f"{progress.done:.2f}",
        "status": progress.status,
        "status_label": progress.status_label,
        "done_percent": f"{progress.done_percent:.0f}",
    }
    assert data["progress"]["done"] == "35.50"
    assert data["clause"]["legal_basis"] == lot.clause.legal_basis
    assert data["amount_excl_tax"] == f"{lot.amount_excl_tax:.2f}"
    assert [award["company"]["id"] for award in data["awards"]] == [lot.awards.get().company_id]


@pytest.mark.parametrize("resource", ["operations", "contracts", "lots"])
def test_clauses_resources_follow_the_scope_of_each_role(
    resource, facilitator, other_facilitator, department_reader, employer, buyer, lot, other_body
):
    other_lot = make_lot(body=other_body)
    award(other_lot, OrganisationFactory())
    pk = {"operations": lot.contract.operation_id, "contracts": lot.contract_id, "lots": lot.pk}[resource]
    other_pk = {
        "operations": other_lot.contract.operation_id,
        "contracts": other_lot.contract_id,
        "lots": other_lot.pk,
    }[resource]
    url = f"/api/v1/{resource}/"
    for user in (facilitator, department_reader, employer, buyer):
        client = client_of(user)
        assert client.get(f"{url}{pk}/").status_code == 200
    assert ids(client_of(facilitator).get(url)) == {pk}
    assert ids(client_of(department_reader).get(url)) == {pk, other_pk}
    assert ids(client_of(employer).get(url)) == {pk}
    assert ids(client_of(buyer).get(url)) == {pk}
    assert ids(client_of(other_facilitator).get(url)) == {other_pk}
    for outsider in (facilitator, employer, buyer):
        assert client_of(outsider).get(f"{url}{other_pk}/").status_code == 404
    assert client_of(other_facilitator).get(f"{url}{pk}/").status_code == 404


def test_the_directory_is_for_facilitators_only(facilitator, department_reader, employer, buyer, company):
    assert company.pk in ids(client_of(facilitator).get("/api/v1/organisations/"))
    assert ids(client_of(facilitator).get(f"/api/v1/organisations/?siret={company.siret or 'x'}")) <= {company.pk}
    for user in (department_reader, employer, buyer):
        assert ids(client_of(user).get("/api/v1/organisations/")) == set()
        assert client_of(user).get(f"/api/v1/organisations/{company.pk}/").status_code == 404


def test_participants_only_to_the_facilitators_of_their_body(
    facilitator, other_facilitator, department_reader, employer, buyer, placement
):
    person = placement.participant
    data = client_of(facilitator).get(f"/api/v1/participants/{person.pk}/").json()
    assert data["last_name"] == person.last_name
    assert data["rsa_at_entry"] is True and data["criteria"][0]["criterion"] == "RSA"
    for user in (other_facilitator, department_reader, employer, buyer):
        assert ids(client_of(user).get("/api/v1/participants/")) == set()
        assert client_of(user).get(f"/api/v1/participants/{person.pk}/").status_code == 404


def test_placements_to_the_employer_with_a_name_and_never_eligibility(
    facilitator, department_reader, employer, buyer, placement, lot
):
    other = make_placement(lot, OrganisationFactory())
    assert ids(client_of(facilitator).get("/api/v1/placements/")) == {placement.pk, other.pk}
    response = client_of(employer).get("/api/v1/placements/")
    assert ids(response) == {placement.pk}
    person = response.json()["results"][0]["participant"]
    assert set(person) == {"id", "first_name", "last_name"}
    assert "RSA" not in response.content.decode() and "rsa" not in response.content.decode()
    assert client_of(employer).get(f"/api/v1/placements/{other.pk}/").status_code == 404
    for user in (department_reader, buyer):
        assert ids(client_of(user).get("/api/v1/placements/")) == set()
        assert client_of(user).get(f"/api/v1/placements/{placement.pk}/").status_code == 404


def test_lists_are_paginated_and_filtered(facilitator, lot):
    for _ in range(3):
        make_lot()
    client = client_of(facilitator)
    page = client.get("/api/v1/lots/?taille=2").json()
    assert page["count"] == 4 and len(page["results"]) == 2 and page["next"]
    assert ids(client.get(f"/api/v1/lots/?contract={lot.contract_id}")) == {lot.pk}
    assert client.get("/api/v1/lots/?contract=abc").status_code == 400


def _many(count, company, buyer_organisation):
    for _ in range(count):
        lot = make_lot(buyer=buyer_organisation)
        award(lot, company)
        make_placement(lot, company)
        OrganisationFactory()


@pytest.mark.parametrize(
    ("resource", "queries"),
    [
        ("operations", 4),
        ("contracts", 4),
        ("lots", 5),
        ("organisations", 4),
        ("participants", 5),
        ("placements", 4),
    ],
)
def test_lists_read_a_fixed_number_of_queries(
    resource, queries, facilitator, company, buyer_organisation, django_assert_num_queries
):
    """Token (1), its last use (1, once a minute), memberships (1), then count and page (+ prefetches)."""
    client = client_of(facilitator)
    for count in (2, 20):
        _many(count if count == 2 else 18, company, buyer_organisation)
        client.get(f"/api/v1/{resource}/")  # the token's first use is noted (one UPDATE, once a minute)
        with django_assert_num_queries(queries):
            response = client.get(f"/api/v1/{resource}/")
        assert response.json()["count"] >= count
