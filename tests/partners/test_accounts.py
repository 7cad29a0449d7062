"""Login by e-mail, logout, password change and reset, all in French; login required everywhere."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from partners.models import User


def test_login_page_is_french_and_public(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Connexion" in html
    assert 'href="#contenu"' in html  # skip link
    assert '<main id="contenu"' in html
    assert 'for="id_username"' in html and "Adresse e-mail" in html


def test_login_by_email(client, facilitator):
    response = client.post(reverse("login"), {"username": facilitator.email, "password": "mot-de-passe-de-test"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_login_email_is_case_insensitive_at_creation(db):
    user = User.objects.create_user("Claire.Martin@Ain.FR", "un-mot-de-passe-long")
    assert user.email == "claire.martin@ain.fr"


def test_wrong_password_gets_a_french_message(client, facilitator):
    response = client.post(reverse("login"), {"username": facilitator.email, "password": "faux"})
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()


def test_anonymous_is_sent_to_login(client, db):
    for url in (reverse("home"), reverse("partners:territories"), reverse("password_change")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_logout_is_a_post(client, facilitator):
    client.force_login(facilitator)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change(client, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "mot-de-passe-de-test",
            "new_password1": "Bresse-Dombes-2026",
            "new_password2": "Bresse-Dombes-2026",
        },
    )
    assert response.status_code == 302
    facilitator.refresh_from_db()
    assert facilitator.check_password("Bresse-Dombes-2026")


def test_password_change_rejects_weak_password_in_french(client, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("password_change"),
        {"old_password": "mot-de-passe-de-test", "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in response.content.decode()


def test_password_reset_by_email_in_french(client, facilitator):
    response = client.post(reverse("password_reset"), {"email": facilitator.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Clausier : choisir un nouveau mot de passe"
    link = re.search(r"http://testserver(/compte/reset/\S+/)", message.body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "Veyle-Saone-2026", "new_password2": "Veyle-Saone-2026"})
    assert response.status_code == 302
    facilitator.refresh_from_db()
    assert facilitator.check_password("Veyle-Saone-2026")


@pytest.mark.parametrize("email", ["inconnu@example.fr"])
def test_password_reset_does_not_reveal_unknown_addresses(client, db, email):
    response = client.post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_repeated_failures_lock_the_login_with_a_french_message(client, facilitator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": facilitator.email, "password": "faux"})
    response = client.post(reverse("login"), {"username": facilitator.email, "password": "mot-de-passe-de-test"})
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
