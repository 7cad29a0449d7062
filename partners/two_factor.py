"""Optional second factor (django-otp, TOTP) for administrators and facilitators.

Who set up an authenticator application is asked for a 6-digit code after the password, before
any page. With ``OTP_REQUIRED_FOR_ADMINISTRATORS`` on, an administrator without one is sent to set
it up first. What is needed is decided once at login (``user_logged_in``) and kept in the session,
so that pages do not pay a query for it.
"""

import base64

import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from .permissions import is_administrator, is_facilitator

# Session keys: "verify" when a code is awaited, "setup" when the second factor must be set up.
SESSION_KEY = "clausier_two_factor"
VERIFY = "verify"
SETUP = "setup"


def may_use_two_factor(user):
    """Administrators and facilitators may protect their account with a second factor."""
    return is_facilitator(user)


def must_set_up(user):
    return settings.OTP_REQUIRED_FOR_ADMINISTRATORS and is_administrator(user)


def confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user):
    """The device being set up (not confirmed yet), created on first use with a new secret."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Application d'authentification", confirmed=False)
    return device


def secret_text(device):
    """The secret as an authenticator application asks for it when typed: base32, in groups of 4."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(url):
    """The otpauth URL as a QR code, an SVG data URI (the CSP allows ``data:`` images)."""
    return segno.make(url, error="m").svg_data_uri(scale=5, border=2)


@receiver(user_logged_in, dispatch_uid="clausier_two_factor_at_login")
def decide_at_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(SESSION_KEY, None)
    if not may_use_two_factor(user):
        return
    if confirmed_device(user) is not None:
        request.session[SESSION_KEY] = VERIFY
    elif must_set_up(user):
        request.session[SESSION_KEY] = SETUP


def safe_next(request, candidate):
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


class TwoFactorMiddleware:
    """Sends a user who still owes a code (or a second factor) to the page that asks for it."""

    EXEMPT_URL_NAMES = ("logout", "two_factor_verify", "two_factor_setup", "healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if pending and request.user.is_authenticated:
            if request.user.is_verified():
                request.session.pop(SESSION_KEY, None)
            else:
                exempt = {reverse(name) for name in self.EXEMPT_URL_NAMES}
                if request.path not in exempt and not request.path.startswith(settings.STATIC_URL):
                    target = "two_factor_verify" if pending == VERIFY else "two_factor_setup"
                    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
