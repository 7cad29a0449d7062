"""Personal API tokens: shown once, stored as a digest, last use noted, revoked, rate-limited."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from tests.api.conftest import client_of

pytestmark = pytest.mark.django_db
OPERATIONS = "/api/v1/operations/"


def test_the_secret_is_kept_only_as_its_sha256_digest(facilitator):
    token, secret = ApiToken.issue(facilitator, "Système d'information")
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert secret.startswith("cls_") and len(secret) > 40
    assert stored["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(stored.values())
    assert secret.startswith(stored["prefix"]) and len(stored["prefix"]) == 12


def test_a_call_with_the_token_is_the_user_and_notes_the_last_use(facilitator):
    token, secret = ApiToken.issue(facilitator, "SI")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get(OPERATIONS).status_code == 200
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert client.get(OPERATIONS).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at - first_use >= timedelta(minutes=5)


@pytest.mark.parametrize(
    "header",
    [None, "Bearer cls_inconnu", "Bearer", "Bearer a b", "Token abc", "Bearer pas-un-jeton-clausier"],
)
def test_without_a_valid_token_the_api_answers_401_never_the_login_page(facilitator, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(OPERATIONS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Location" not in response


def test_a_logged_in_session_is_not_enough_for_the_api(client, facilitator):
    client.force_login(facilitator)
    response = client.get(OPERATIONS)
    assert response.status_code == 401


def test_a_revoked_token_or_an_inactive_account_is_refused(facilitator, employer):
    token, secret = ApiToken.issue(facilitator, "SI")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    token.revoke()
    assert client.get(OPERATIONS).status_code == 401
    other = client_of(employer)
    employer.is_active = False
    employer.save()
    assert other.get(OPERATIONS).status_code == 401


def test_the_rate_limit_is_per_token(facilitator):
    first, second = client_of(facilitator), client_of(facilitator)
    with override_settings(CLAUSIER={**settings.CLAUSIER, "API_RATE_LIMIT": "3/minute"}):
        answers = [first.get(OPERATIONS).status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        assert second.get(OPERATIONS).status_code == 200
        refused = first.get(OPERATIONS)
        assert int(refused["Retry-After"]) > 0


def test_the_token_page_shows_the_secret_once_then_only_its_prefix(client, employer):
    client.force_login(employer)
    url = reverse("api_tokens:token_list")
    response = client.post(url, {"name": "Logiciel de paie"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=employer)
    page = response.content.decode()
    secret = page.split('id="nouveau-jeton"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    assert secret.startswith(token.prefix) and ApiToken.objects.matching(secret) == token
    assert "il ne sera plus jamais affiché" in page
    assert response["Cache-Control"] == "no-store"
    again = client.get(url).content.decode()
    assert secret not in again
    assert token.prefix in again and "Logiciel de paie" in again and "jamais" in again


def test_a_nameless_token_is_refused_in_french(client, employer):
    client.force_login(employer)
    response = client.post(reverse("api_tokens:token_list"), {"name": ""})
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_asks_for_confirmation_and_only_for_ones_own_token(client, employer, facilitator):
    token, secret = ApiToken.issue(employer, "Paie")
    url = reverse("api_tokens:token_revoke", args=[token.pk])
    client.force_login(facilitator)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(employer)
    assert "Révoquer le jeton « Paie »" in client.get(url).content.decode()
    token.refresh_from_db()
    assert token.is_active
    response = client.post(url, follow=True)
    assert "est révoqué" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.objects.matching(secret) is None
    assert client.post(url).status_code == 404  # already revoked


def test_the_account_menu_leads_to_the_token_page(client, buyer):
    client.force_login(buyer)
    assert reverse("api_tokens:token_list") in client.get(reverse("password_change")).content.decode()
