"""Pages of the second factor: setting it up (secret as text, otpauth URL, QR code), the code asked
after the password, and turning it off."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from . import two_factor


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code à 6 chiffres",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": "Saisissez le code affiché par votre application."},
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError("Le code compte 6 chiffres : saisissez celui affiché par votre application.")
        if self.device is not None and not self.device.verify_is_allowed()[0]:
            raise forms.ValidationError("Trop de codes incorrects : attendez quelques secondes avant de réessayer.")
        if self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError(
                "Code incorrect ou expiré : saisissez le code affiché en ce moment par votre application "
                "(vérifiez aussi l'heure de votre téléphone)."
            )
        return token


@never_cache
@require_http_methods(["GET", "POST"])
def setup(request):
    user = request.user
    if not two_factor.may_use_two_factor(user):
        raise PermissionDenied
    confirmed = two_factor.confirmed_device(user)
    if confirmed is not None:
        if request.session.get(two_factor.SESSION_KEY) == two_factor.VERIFY:
            return redirect("two_factor_verify")
        form = TokenForm(request.POST or None, device=confirmed)
        if request.method == "POST" and request.POST.get("action") == "disable":
            if two_factor.must_set_up(user):
                raise PermissionDenied
            if form.is_valid():
                confirmed.delete()
                messages.success(request, "La double authentification est désactivée pour votre compte.")
                return redirect("two_factor_setup")
        return render(request, "registration/two_factor_setup.html", {"device": confirmed, "form": form})
    device = two_factor.pending_device(user)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        request.session.pop(two_factor.SESSION_KEY, None)
        messages.success(
            request, "La double authentification est activée : un code vous sera demandé à chaque connexion."
        )
        return redirect(two_factor.safe_next(request, request.GET.get("next")))
    url = device.config_url
    context = {
        "form": form,
        "pending": device,
        "secret": two_factor.secret_text(device),
        "otpauth_url": url,
        "qr_code": two_factor.qr_code_data_uri(url),
        "required": request.session.get(two_factor.SESSION_KEY) == two_factor.SETUP,
    }
    return render(request, "registration/two_factor_setup.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    user = request.user
    device = two_factor.confirmed_device(user) if two_factor.may_use_two_factor(user) else None
    next_url = two_factor.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if device is None or user.is_verified():
        request.session.pop(two_factor.SESSION_KEY, None)
        return redirect(next_url)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        request.session.pop(two_factor.SESSION_KEY, None)
        return redirect(next_url)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})
