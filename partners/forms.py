from django import forms
from django.contrib.auth.forms import AuthenticationForm


class EmailAuthenticationForm(AuthenticationForm):
    """Log in by e-mail, whatever its case, with a plain French message on failure."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "Adresse e-mail ou mot de passe incorrect. Vérifiez les deux "
            "(le mot de passe distingue les majuscules et les minuscules)."
        ),
        "inactive": "Ce compte est désactivé. Contactez un administrateur du Département.",
    }

    username = forms.EmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()
