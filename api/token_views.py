"""The account's API tokens (menu of the account, « Jetons d'API »): create (shown once), list, revoke."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .access import API_TOKENS
from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        help_text="À quoi il sert, par exemple « Logiciel de paie » : vous le reconnaîtrez dans la liste.",
    )


def _page(request, form, secret=None, created=None, status=200):
    tokens = API_TOKENS.queryset(request.user).order_by("revoked_at", "-created_at", "-pk")
    context = {"form": form, "tokens": tokens, "secret": secret, "created": created}
    return render(request, "api/tokens.html", context, status=status)


@require_http_methods(["GET", "POST"])
def token_list(request):
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            token, secret = ApiToken.issue(request.user, form.cleaned_data["name"])
            # Shown in this answer only: never stored, never put in a redirect or the session.
            response = _page(request, TokenForm(), secret=secret, created=token)
            response["Cache-Control"] = "no-store"
            return response
        return _page(request, form, status=200)
    return _page(request, TokenForm())


@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    token = API_TOKENS.to_change(request, pk, refine=lambda tokens: tokens.active())
    if request.method == "POST":
        token.revoke()
        messages.success(request, f"Le jeton « {token.name} » est révoqué : il ne permet plus aucun appel.")
        return redirect("api_tokens:token_list")
    return render(request, "api/token_confirm_revoke.html", {"token": token})
