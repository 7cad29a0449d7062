"""The directory of partners: list with search and filters, detail, create and edit of each kind."""

import pytest
from django.urls import reverse

from partners.identifiers import build_siren, build_siret
from partners.models import Commune, Epci, Organisation, Sector
from partners.roles import Role
from tests.partners.factories import OrganisationFactory

LIST = reverse("partners:organisation_list")
DIRECTORY_ROLES = [Role.ADMINISTRATOR, Role.FACILITATOR]
OUTSIDERS = [Role.DEPARTMENT_READER, Role.EMPLOYER, Role.BUYER]
VALID_SIRET = build_siret(build_siren("41234567"), "0001")


@pytest.fixture
def company(db):
    return OrganisationFactory(
        name="Énergies Bâtiment Bresse", kind=Organisation.Kind.COMPANY, with_siret=True, naf_code="4321A"
    )


# Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", DIRECTORY_ROLES)
def test_facilitators_and_administrators_use_the_directory(client, users_by_role, company, role):
    client.force_login(users_by_role[role])
    assert client.get(LIST).status_code == 200
    assert client.get(reverse("partners:organisation_detail", args=[company.pk])).status_code == 200
    assert client.get(reverse("partners:organisation_update", args=[company.pk])).status_code == 200
    assert client.get(reverse("partners:organisation_create", args=["company"])).status_code == 200


@pytest.mark.parametrize("role", OUTSIDERS)
def test_others_cannot_reach_the_directory(client, users_by_role, company, role):
    client.force_login(users_by_role[role])
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("partners:organisation_create", args=["company"])).status_code == 403
    assert client.post(reverse("partners:organisation_create", args=["company"]), {"name": "X"}).status_code == 403
    assert client.get(reverse("partners:organisation_detail", args=[company.pk])).status_code == 404
    assert client.get(reverse("partners:organisation_update", args=[company.pk])).status_code == 404
    response = client.post(reverse("partners:organisation_update", args=[company.pk]), {"name": "Piraté"})
    assert response.status_code == 404
    company.refresh_from_db()
    assert company.name == "Énergies Bâtiment Bresse"
    assert Organisation.objects.filter(name="X").count() == 0


def test_unknown_kind_is_404(client, facilitator):
    client.force_login(facilitator)
    assert client.get(reverse("partners:organisation_create", args=["department"])).status_code == 404
    assert client.get(reverse("partners:organisation_create", args=["spaceship"])).status_code == 404


# Search and filters ------------------------------------------------------------------------


def names(response):
    return [organisation.name for organisation in response.context["page"].object_list]


def test_search_ignores_accents_and_case(client, facilitator, company):
    client.force_login(facilitator)
    for query in ("energies batiment", "ÉNERGIES", "bâtiment bresse", company.siret, "4321a", "bourg-en-bresse"):
        assert "Énergies Bâtiment Bresse" in names(client.get(LIST, {"q": query})), query
    assert names(client.get(LIST, {"q": "inexistant"})) == []


def test_filter_by_kind(client, facilitator, company):
    OrganisationFactory(name="Tremplin", kind=Organisation.Kind.INCLUSION_STRUCTURE, structure_kind="ACI")
    client.force_login(facilitator)
    response = client.get(LIST, {"kind": "inclusion_structure"})
    assert names(response) == ["Tremplin"]


def test_filter_by_epci_and_by_sector(client, facilitator):
    trevoux = Commune.objects.get(insee_code="01427")
    gex = Commune.objects.get(insee_code="01173")
    OrganisationFactory(name="Maçonnerie de Trévoux", commune=trevoux)
    OrganisationFactory(name="Charpente de Gex", commune=gex)
    serving = OrganisationFactory(name="AI du Val de Saône", commune=gex, kind=Organisation.Kind.INCLUSION_STRUCTURE)
    serving.served_epcis.add(trevoux.epci)
    client.force_login(facilitator)
    assert names(client.get(LIST, {"territory": f"epci-{trevoux.epci_id}"})) == [
        "AI du Val de Saône",
        "Maçonnerie de Trévoux",
    ]
    vsd = Sector.objects.get(name="Val de Saône Dombes")
    assert names(client.get(LIST, {"territory": f"sector-{vsd.pk}"})) == ["AI du Val de Saône", "Maçonnerie de Trévoux"]
    assert "Charpente de Gex" in names(client.get(LIST, {"territory": f"epci-{gex.epci_id}"}))


def test_list_query_count_does_not_grow(client, facilitator, django_assert_num_queries):
    client.force_login(facilitator)
    OrganisationFactory.create_batch(3)
    client.get(LIST)
    with django_assert_num_queries(9):
        client.get(LIST, {"q": "organisation", "kind": "company"})
    OrganisationFactory.create_batch(60)
    with django_assert_num_queries(9):
        response = client.get(LIST, {"q": "organisation", "kind": "company"})
    assert len(response.context["page"].object_list) == 50


# Create and edit ---------------------------------------------------------------------------


def company_data(**overrides):
    data = {
        "name": "Couverture Zinguerie de la Veyle",
        "siret": VALID_SIRET[:3] + " " + VALID_SIRET[3:],
        "naf_code": "43.91B",
        "size_band": "10-49",
        "address": "12 rue des Artisans",
        "commune": Commune.objects.get(insee_code="01306").pk,
        "email": "contact@zinguerie.fr",
        "phone": "04 74 00 00 00",
    }
    data.update(overrides)
    return data


def test_create_a_company(client, facilitator):
    client.force_login(facilitator)
    response = client.post(reverse("partners:organisation_create", args=["company"]), company_data())
    company = Organisation.objects.get(name="Couverture Zinguerie de la Veyle")
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:organisation_detail", args=[company.pk])
    assert company.kind == "company"
    assert company.siret == VALID_SIRET
    assert company.siren == VALID_SIRET[:9]
    assert company.naf_code == "4391B"
    assert "zinguerie" in company.search_text


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("1234", "SIRET invalide : 14 chiffres attendus"),
        ("1234567890123A", "SIRET invalide : il ne doit contenir que des chiffres"),
        (VALID_SIRET[:-1] + str((int(VALID_SIRET[-1]) + 1) % 10), "la clé de contrôle ne correspond pas"),
        ("", "Ce champ est obligatoire"),
    ],
)
def test_invalid_siret_is_refused_in_french(client, facilitator, siret, message):
    client.force_login(facilitator)
    response = client.post(reverse("partners:organisation_create", args=["company"]), company_data(siret=siret))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.filter(name="Couverture Zinguerie de la Veyle").exists()


def test_duplicate_siret_names_the_existing_organisation(client, facilitator, company):
    client.force_login(facilitator)
    response = client.post(reverse("partners:organisation_create", args=["company"]), company_data(siret=company.siret))
    assert "déjà celui de « Énergies Bâtiment Bresse »" in response.content.decode()
    assert Organisation.objects.filter(siret=company.siret).count() == 1


def test_create_a_structure_requires_its_kind(client, facilitator):
    client.force_login(facilitator)
    url = reverse("partners:organisation_create", args=["inclusion_structure"])
    data = company_data(name="EI du Revermont", provides_staff="on")
    response = client.post(url, data)
    assert "Ce champ est obligatoire" in response.content.decode()
    data["structure_kind"] = "EI"
    data["served_epcis"] = [Epci.objects.get(siren="200071751").pk]
    assert client.post(url, data).status_code == 302
    structure = Organisation.objects.get(name="EI du Revermont")
    assert structure.structure_group == "insertion"
    assert structure.provides_staff is True
    assert [e.siren for e in structure.served_epcis.all()] == ["200071751"]


def test_create_a_contracting_authority(client, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("partners:organisation_create", args=["contracting_authority"]),
        {
            "name": "Commune de Marlieux",
            "buyer_kind": "commune",
            "engineering_agency_member": "on",
            "commune": Commune.objects.get(insee_code="01093").pk,
        },
    )
    assert response.status_code == 302
    buyer = Organisation.objects.get(name="Commune de Marlieux")
    assert buyer.engineering_agency_member
    assert buyer.get_buyer_kind_display() == "Commune"


def test_edit_keeps_the_kind(client, facilitator, company):
    client.force_login(facilitator)
    url = reverse("partners:organisation_update", args=[company.pk])
    response = client.post(url, company_data(name="Énergies Bâtiment Bresse SAS", siret=company.siret))
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.name == "Énergies Bâtiment Bresse SAS"
    assert company.kind == "company"


def test_detail_shows_what_links_to_it(client, facilitator, company):
    from partners.models import Audience, AwarenessAction

    action = AwarenessAction.objects.create(
        date="2026-03-12", kind="forum", title="Forum emploi BTP", people_reached=40
    )
    action.audiences.add(Audience.objects.get(code="companies"))
    action.organisations.add(company)
    client.force_login(facilitator)
    html = client.get(reverse("partners:organisation_detail", args=[company.pk])).content.decode()
    assert "Forum emploi BTP" in html
    assert company.siret in html


def test_facilitation_body_detail_lists_rules_and_facilitators(client, facilitator):
    department = Organisation.objects.department().get()
    client.force_login(facilitator)
    html = client.get(reverse("partners:organisation_detail", args=[department.pk])).content.decode()
    assert "Tout l&#x27;Ain" in html
    assert "adhérents de l&#x27;Agence d&#x27;Ingénierie 01" in html
    assert str(facilitator) in html
