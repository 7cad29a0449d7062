"""Each role sees its own navigation and home page."""

import pytest
from django.urls import reverse

from partners.roles import Role, primary_role

EXPECTED_NAV = {
    Role.ADMINISTRATOR: [
        "Accueil",
        "Opérations",
        "Lots",
        "DECP",
        "Participants",
        "Recrutement",
        "Suivis",
        "Validation",
        "Partenaires",
        "Actions",
        "Couverture",
        "Pilotage",
        "Bilans",
    ],
    Role.FACILITATOR: [
        "Accueil",
        "Opérations",
        "Lots",
        "DECP",
        "Participants",
        "Recrutement",
        "Suivis",
        "Validation",
        "Partenaires",
        "Actions",
        "Couverture",
        "Bilans",
    ],
    Role.DEPARTMENT_READER: ["Accueil", "Opérations", "Lots", "DECP", "Actions", "Couverture", "Bilans"],
    Role.EMPLOYER: ["Accueil", "Mes lots", "Déclarations", "Candidatures"],
    Role.BUYER: ["Accueil", "Opérations", "Lots", "Bilans", "Achats responsables"],
}
EXPECTED_HEADING = {
    Role.ADMINISTRATOR: "Administration de Clausier",
    Role.FACILITATOR: "Tableau de bord du facilitateur",
    Role.DEPARTMENT_READER: "Tableau de bord du Département",
    Role.EMPLOYER: "Espace employeur",
    Role.BUYER: "Suivi de mes marchés",
}


def test_primary_role_follows_priority():
    assert primary_role({Role.BUYER, Role.FACILITATOR}) == Role.FACILITATOR
    assert primary_role(set()) is None


@pytest.mark.parametrize("role", list(Role))
def test_home_and_navigation_of_each_role(client, users_by_role, role):
    client.force_login(users_by_role[role])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    labels = [item.label for item in response.context["nav_items"]]
    assert labels == EXPECTED_NAV[role]
    html = response.content.decode()
    assert EXPECTED_HEADING[role] in html
    assert role.label in html


def test_administration_is_in_the_account_menu_of_administrators_only(client, administrator, facilitator):
    client.force_login(administrator)
    assert 'href="/admin/">Administration</a>' in client.get(reverse("home")).content.decode()
    client.force_login(facilitator)
    assert "/admin/" not in client.get(reverse("home")).content.decode()


def test_user_without_membership_is_told_to_ask_for_a_role(client, db):
    from tests.partners.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert "rattaché à aucune organisation" in response.content.decode()
    assert [item.label for item in response.context["nav_items"]] == ["Accueil"]


@pytest.mark.parametrize("role", list(Role))
def test_admin_is_for_administrators_only(client, users_by_role, role):
    client.force_login(users_by_role[role])
    response = client.get(reverse("admin:index"))
    if role == Role.ADMINISTRATOR:
        assert response.status_code == 200
        assert client.get(reverse("admin:partners_sector_changelist")).status_code == 200
    else:
        assert response.status_code == 302
        assert client.get(reverse("admin:partners_sector_changelist")).status_code == 302


def test_inactive_membership_gives_no_role(client, facilitator):
    facilitator.memberships.update(is_active=False)
    facilitator = type(facilitator).objects.get(pk=facilitator.pk)
    assert facilitator.role is None
