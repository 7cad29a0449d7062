from django.urls import reverse

from tests.placements.factories import PlacementFactory, eligible_participant


def test_employer_page_lists_its_placements_for_the_facilitator(client, facilitator):
    placement = PlacementFactory()
    client.force_login(facilitator)
    html = client.get(reverse("partners:organisation_detail", args=[placement.employer_id])).content.decode()
    assert "Mises à l&#x27;emploi" in html
    assert str(placement.participant) in html


def test_prescriber_page_lists_the_people_it_oriented(client, facilitator):
    from tests.partners.factories import OrganisationFactory

    service = OrganisationFactory(kind="employment_service", name="Mission locale test")
    placement = PlacementFactory(participant=eligible_participant(prescriber=service))
    client.force_login(facilitator)
    html = client.get(reverse("partners:organisation_detail", args=[service.pk])).content.decode()
    assert "Personnes orientées" in html and str(placement.participant) in html


def test_lot_page_shows_offers_and_people_to_the_facilitator_only(client, facilitator, buyer, department_reader):
    placement = PlacementFactory()
    lot = placement.lot
    buyer_org = buyer.memberships.get().organisation
    operation = lot.contract.operation
    operation.buyer = buyer_org
    operation.save()
    url = reverse("clauses:lot_detail", args=[lot.pk])
    client.force_login(facilitator)
    html = client.get(url).content.decode()
    assert "Créer une offre" in html and str(placement.participant) in html
    for outsider in (buyer, department_reader):
        client.force_login(outsider)
        response = client.get(url)
        assert response.status_code == 200
        assert str(placement.participant) not in response.content.decode()
        assert "Créer une offre" not in response.content.decode()
