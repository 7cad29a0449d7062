"""Forms of awareness-raising and partnership actions: the action itself, and the filters of the list."""

from django import forms
from django.core.exceptions import ValidationError

from .actions import default_period
from .models import Audience, AwarenessAction, Epci, Organisation, Sector

DATE_WIDGET_FORMAT = "%Y-%m-%d"  # what an HTML date input sends and expects


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format=DATE_WIDGET_FORMAT)


class AwarenessActionForm(forms.ModelForm):
    class Meta:
        model = AwarenessAction
        fields = ["date", "kind", "title", "audiences", "people_reached", "epci", "sector", "organisations", "notes"]
        widgets = {
            "date": date_input(),
            "audiences": forms.CheckboxSelectMultiple,
            "organisations": forms.SelectMultiple(attrs={"size": 10}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "people_reached": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }
        help_texts = {
            "title": "Par exemple : « Petit-déjeuner des entreprises du BTP sur les clauses sociales ».",
            "people_reached": "Nombre de personnes présentes ou touchées par l'action.",
            "epci": "Laissez l'EPCI et le secteur vides pour une action à l'échelle de l'Ain.",
            "sector": "Un EPCI ou un secteur, pas les deux.",
            "organisations": "Maintenez Ctrl (ou Cmd sur Mac) pour en choisir plusieurs.",
        }
        error_messages = {
            "date": {"required": "Indiquez la date de l'action.", "invalid": "Date invalide."},
            "kind": {"required": "Choisissez le type d'action."},
            "title": {"required": "Donnez un intitulé à l'action."},
            "audiences": {"required": "Cochez au moins un public visé."},
            "people_reached": {
                "required": "Indiquez le nombre de personnes touchées (0 si vous ne le connaissez pas).",
                "invalid": "Saisissez un nombre entier.",
                "min_value": "Le nombre de personnes touchées ne peut pas être négatif.",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audiences"].queryset = Audience.objects.order_by("position", "label")
        self.fields["kind"].choices = [("", "Choisissez un type d'action"), *AwarenessAction.Kind.choices]
        self.fields["epci"].queryset = Epci.objects.order_by("name")
        self.fields["epci"].empty_label = "Aucun"
        self.fields["sector"].queryset = Sector.objects.order_by("name")
        self.fields["sector"].empty_label = "Aucun"
        self.fields["sector"].label = "Secteur départemental"
        # search_text starts with the accent-free name: "Électricité" sorts among the E.
        self.fields["organisations"].queryset = Organisation.objects.order_by("search_text", "pk")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("epci") and cleaned.get("sector"):
            self.add_error(
                "sector",
                "Choisissez un EPCI ou un secteur départemental, pas les deux : laissez l'un des deux vide.",
            )
        return cleaned


class ActionFilterForm(forms.Form):
    """The filters of the list, sent by GET. The period defaults to the current year up to today."""

    start = forms.DateField(
        label="Date de début",
        required=False,
        widget=date_input(),
        error_messages={"invalid": "Date de début invalide."},
    )
    end = forms.DateField(
        label="Date de fin", required=False, widget=date_input(), error_messages={"invalid": "Date de fin invalide."}
    )
    kind = forms.ChoiceField(
        label="Type d'action", required=False, choices=[("", "Tous les types"), *AwarenessAction.Kind.choices]
    )
    audience = forms.ModelChoiceField(
        label="Public visé", required=False, queryset=Audience.objects.order_by("position", "label"), empty_label="Tous"
    )
    epci = forms.ModelChoiceField(
        label="EPCI", required=False, queryset=Epci.objects.order_by("name"), empty_label="Tous les EPCI"
    )
    sector = forms.ModelChoiceField(
        label="Secteur",
        required=False,
        queryset=Sector.objects.order_by("name"),
        empty_label="Tous les secteurs",
    )

    def __init__(self, data=None, *args, today=None, **kwargs):
        """Fill in the default period when the query string does not mention it at all."""
        data = data.copy() if data is not None else {}
        start, end = default_period(today)
        if "start" not in data and "end" not in data:
            data["start"] = start.strftime(DATE_WIDGET_FORMAT)
            data["end"] = end.strftime(DATE_WIDGET_FORMAT)
        super().__init__(data, *args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", ValidationError("La date de fin doit être postérieure à la date de début."))
        return cleaned

    def filters(self):
        """Keyword arguments for ``filter_actions``, from the valid fields only (call after ``is_valid``)."""
        data = self.cleaned_data
        return {
            "start": data.get("start"),
            "end": data.get("end"),
            "kind": data.get("kind") or "",
            "audience": data.get("audience"),
            "epci": data.get("epci"),
            "sector": data.get("sector"),
        }
