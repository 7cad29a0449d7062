import pytest
from django.urls import reverse

from partners.models import Contact
from partners.roles import Role
from tests.partners.factories import OrganisationFactory


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Bâtir Bresse")


@pytest.fixture
def contact(organisation):
    return Contact.objects.create(
        organisation=organisation,
        first_name="Hélène",
        last_name="Durand",
        email="helene.durand@batir.fr",
        retention_reason="Suivi des clauses",
    )


def contact_data(**overrides):
    data = {
        "first_name": "Marc",
        "last_name": "Petit",
        "function": "Conducteur de travaux",
        "email": "marc.petit@batir.fr",
        "phone": "",
        "retention_reason": "Interlocuteur du chantier",
    }
    data.update(overrides)
    return data


def test_add_a_contact(client, facilitator, organisation):
    client.force_login(facilitator)
    response = client.post(reverse("partners:contact_create", args=[organisation.pk]), contact_data())
    assert response.status_code == 302
    assert organisation.contacts.get().function == "Conducteur de travaux"


def test_contact_needs_a_reason_and_a_way_to_reach_them(client, facilitator, organisation):
    client.force_login(facilitator)
    response = client.post(
        reverse("partners:contact_create", args=[organisation.pk]),
        contact_data(email="", phone="", retention_reason=""),
    )
    html = response.content.decode()
    assert "Indiquez au moins une adresse e-mail ou un téléphone." in html
    assert "Ce champ est obligatoire" in html
    assert not organisation.contacts.exists()


def test_edit_and_delete_a_contact(client, facilitator, contact):
    client.force_login(facilitator)
    response = client.post(reverse("partners:contact_update", args=[contact.pk]), contact_data(first_name="Hélène"))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.last_name == "Petit"
    assert "Supprimer le contact" in client.get(reverse("partners:contact_delete", args=[contact.pk])).content.decode()
    assert client.post(reverse("partners:contact_delete", args=[contact.pk])).status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize("role", [Role.DEPARTMENT_READER, Role.EMPLOYER, Role.BUYER])
def test_outsiders_get_404_on_contacts(client, users_by_role, contact, role):
    client.force_login(users_by_role[role])
    assert client.get(reverse("partners:contact_create", args=[contact.organisation_id])).status_code == 404
    assert client.post(reverse("partners:contact_update", args=[contact.pk]), contact_data()).status_code == 404
    assert client.post(reverse("partners:contact_delete", args=[contact.pk])).status_code == 404
    assert Contact.objects.filter(pk=contact.pk, last_name="Durand").exists()
