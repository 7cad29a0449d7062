"""Optional second factor (django-otp, TOTP) for administrators and facilitators."""

import html
from urllib.parse import quote

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners import two_factor

PASSWORD = "mot-de-passe-de-test"


def token(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def page(response):
    return html.unescape(response.content.decode())


def log_in(client, user):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD})


@pytest.fixture
def protected(facilitator):
    device = TOTPDevice.objects.create(user=facilitator, name="Téléphone", confirmed=True)
    return facilitator, device


def test_setup_page_shows_the_secret_as_text_url_and_qr_code(client, facilitator):
    client.force_login(facilitator)
    response = client.get(reverse("two_factor_setup"))
    content = page(response)
    device = TOTPDevice.objects.get(user=facilitator, confirmed=False)
    secret = two_factor.secret_text(device)
    assert secret in content
    assert secret.replace(" ", "") in device.config_url
    assert "otpauth://totp/" in content
    assert 'src="data:image/svg+xml' in content
    # The page a second time keeps the same secret (the application may already hold it).
    assert secret in page(client.get(reverse("two_factor_setup")))


def test_setup_is_confirmed_by_a_code_then_asked_at_each_login(client, facilitator):
    client.force_login(facilitator)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=facilitator)
    response = client.post(reverse("two_factor_setup"), {"token": "000000" if token(device) != "000000" else "111111"})
    assert "Code incorrect ou expiré" in page(response)
    response = client.post(reverse("two_factor_setup"), {"token": token(device)})
    assert "Trop de codes incorrects" in page(response)  # a wrong code makes the next one wait
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(reverse("two_factor_setup"), {"token": token(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    client.post(reverse("logout"))

    log_in(client, facilitator)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_login_of_a_protected_user_asks_for_the_code_before_any_page(client, protected):
    user, device = protected
    response = log_in(client, user)
    assert response.status_code == 302
    target = reverse("reporting:report_list")
    response = client.get(target)
    assert response["Location"] == f"{reverse('two_factor_verify')}?next={quote(target, safe='')}"
    response = client.get(response["Location"])
    assert "Code de vérification" in page(response)
    response = client.post(reverse("two_factor_verify"), {"token": "12", "next": target})
    assert "Le code compte 6 chiffres" in page(response)
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(reverse("two_factor_verify"), {"token": token(device), "next": target})
    assert response["Location"] == target
    assert client.get(target).status_code == 200


def test_verify_refuses_an_outside_next(client, protected):
    user, device = protected
    log_in(client, user)
    response = client.post(reverse("two_factor_verify"), {"token": token(device), "next": "https://ailleurs.example/"})
    assert response["Location"] == reverse("home")


def test_users_without_a_device_log_in_with_a_password_only(client, administrator, facilitator):
    for user in (administrator, facilitator):
        log_in(client, user)
        assert client.get(reverse("home")).status_code == 200
        client.post(reverse("logout"))


def test_force_login_is_not_affected(client, protected):
    user, _ = protected
    client.force_login(user)  # the signal runs: tests that use force_login on a protected user get the check
    assert client.get(reverse("home")).status_code == 302
    user.totpdevice_set.all().delete()
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200


def test_mandatory_for_administrators_when_the_setting_says_so(client, administrator, facilitator, settings):
    settings.OTP_REQUIRED_FOR_ADMINISTRATORS = True
    log_in(client, administrator)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("two_factor_setup"))
    response = client.get(response["Location"])
    assert "obligatoire pour les administrateurs" in page(response)
    device = TOTPDevice.objects.get(user=administrator)
    client.post(reverse("two_factor_setup"), {"token": token(device)})
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    # Facilitators stay free.
    log_in(client, facilitator)
    assert client.get(reverse("home")).status_code == 200


def test_off_by_default(settings):
    from django.conf import settings as django_settings

    assert django_settings.OTP_REQUIRED_FOR_ADMINISTRATORS is False


def test_disable_needs_a_current_code(client, protected):
    user, device = protected
    log_in(client, user)
    client.post(reverse("two_factor_verify"), {"token": token(device)})
    device.refresh_from_db()
    device.last_t = -1  # the code just used may be used again in this test
    device.save()
    response = client.post(reverse("two_factor_setup"), {"action": "disable", "token": "abc"})
    assert TOTPDevice.objects.filter(user=user).exists()
    assert "Le code compte 6 chiffres" in page(response)
    client.post(reverse("two_factor_setup"), {"action": "disable", "token": token(device)})
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@pytest.mark.parametrize("fixture", ["employer", "buyer", "department_reader"])
def test_other_roles_may_not_set_it_up(db, client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("two_factor_setup")).status_code == 403
