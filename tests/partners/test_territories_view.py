import pytest
from django.urls import reverse

from partners.models import Sector
from partners.roles import Role

URL = reverse("partners:territories")


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.FACILITATOR, Role.DEPARTMENT_READER])
def test_department_staff_see_the_territories(client, users_by_role, role):
    client.force_login(users_by_role[role])
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Val de Saône Dombes" in html
    assert "CC Dombes Saône Vallée" in html
    assert "391 communes" in html


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.BUYER])
def test_employers_and_buyers_are_refused(client, users_by_role, role):
    client.force_login(users_by_role[role])
    assert client.get(URL).status_code == 403


def test_edit_link_only_for_administrators(client, administrator, department_reader):
    client.force_login(administrator)
    assert "Modifier les secteurs" in client.get(URL).content.decode()
    client.force_login(department_reader)
    assert "Modifier les secteurs" not in client.get(URL).content.decode()


def test_query_count_does_not_grow_with_sectors(client, facilitator, django_assert_num_queries):
    client.force_login(facilitator)
    client.get(URL)
    for n in range(5):
        Sector.objects.create(name=f"Secteur supplémentaire {n}")
    with django_assert_num_queries(9):
        response = client.get(URL)
    assert response.status_code == 200
