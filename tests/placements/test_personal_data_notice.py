"""The "Données personnelles" page: for every logged-in user, linked from the footer."""

import html

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from partners.roles import Role

URL = reverse("placements:privacy_notice")


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_page_from_the_footer(client, users_by_role, role):
    client.force_login(users_by_role[role])
    home = html.unescape(client.get(reverse("home")).content.decode())
    assert f'href="{URL}"' in home and "Données personnelles" in home.split("<footer")[1]
    response = client.get(URL)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    for expected in (
        "mission d'intérêt public",
        "FSE+",
        "5 ans",
        "Facilitateur",
        "Employeur",
        "Accès",
        "Rectification",
        "Effacement",
        "délégué à la protection des données",
        "CNIL",
    ):
        assert expected in page, expected


def test_the_page_shows_the_retention_setting(client, facilitator, settings):
    settings.CLAUSIER = {**django_settings.CLAUSIER, "PERSONAL_DATA_RETENTION_YEARS": 3}
    client.force_login(facilitator)
    assert "3 ans" in html.unescape(client.get(URL).content.decode())


def test_the_page_needs_a_login_and_the_login_page_has_no_link(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/compte/login/" in response.url
    assert URL not in client.get(reverse("login")).content.decode()


def test_the_page_is_get_only(client, facilitator):
    client.force_login(facilitator)
    assert client.post(URL).status_code == 405
