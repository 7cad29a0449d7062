"""Forms of the facilitator's validation of declared hours: the queue's filters and the review."""

from datetime import date

from django import forms
from django.db.models import Q

from common.dates import month_label
from common.widgets import FastSelect
from partners.models import Commune
from placements.models import DeclarationLine

MAX_ID_DIGITS = 18  # beyond, the id cannot be a database key (and SQLite would overflow)


class QueueFilterForm(forms.Form):
    """Filters of the validation queue: territory of the operation, employer, lot, month."""

    territory = forms.ChoiceField(label="Territoire", required=False, widget=FastSelect)
    employer = forms.ChoiceField(label="Employeur", required=False, widget=FastSelect)
    lot = forms.ChoiceField(label="Lot", required=False, widget=FastSelect)
    month = forms.ChoiceField(label="Mois déclaré", required=False, widget=FastSelect)

    def __init__(self, *args, epcis, sectors, employers, lots, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].choices = [
            ("", "Tout l'Ain"),
            ("Secteurs départementaux", [(f"sector-{sector.pk}", sector.name) for sector in sectors]),
            ("EPCI", [(f"epci-{epci.pk}", epci.name) for epci in epcis]),
        ]
        self.fields["employer"].choices = [("", "Tous les employeurs")] + [(str(pk), name) for pk, name in employers]
        self.fields["lot"].choices = [("", "Tous les lots")] + [
            (str(lot.pk), f"{lot.contract.operation.title} — lot {lot.number} — {lot.title}") for lot in lots
        ]
        self.fields["month"].choices = [("", "Tous les mois")] + [
            (f"{month:%Y-%m}", month_label(month).capitalize()) for month in months
        ]
        for name in ("territory", "employer", "lot", "month"):
            self.fields[name].error_messages["invalid_choice"] = "Ce choix n'est plus proposé : la liste a changé."

    def filter(self, lines):
        """The lines matching the valid filters; an invalid filter is reported and left out."""
        if not self.is_bound:
            return lines
        self.is_valid()
        data = self.cleaned_data
        kind, _, pk = (data.get("territory") or "").partition("-")
        if kind == "epci":
            lines = lines.filter(placement__lot__contract__operation__commune__epci_id=int(pk))
        elif kind == "sector":
            communes = Commune.objects.filter(Q(epci__sectors=int(pk)) | Q(sectors=int(pk)))
            lines = lines.filter(placement__lot__contract__operation__commune__in=communes)
        if data.get("employer"):
            lines = lines.filter(declaration__employer_id=int(data["employer"]))
        if data.get("lot"):
            lines = lines.filter(placement__lot_id=int(data["lot"]))
        if data.get("month"):
            year, month = (int(part) for part in data["month"].split("-"))
            lines = lines.filter(declaration__month=date(year, month, 1))
        return lines

    def is_filtered(self):
        return self.is_bound and any(self.data.get(name) for name in self.fields)


class LineIdsField(forms.Field):
    """Ids of checked lines (``lines`` repeated); anything that is not an id is left out."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return sorted({int(v) for v in values if str(v).isdigit() and len(str(v)) <= MAX_ID_DIGITS})


def _line_problem(line):
    """Why this line cannot be validated or refused now, in French, or None."""
    who = f"{line.placement.participant} ({month_label(line.declaration.month)})"
    if not line.is_current:
        return f"Les heures de {who} ont été remplacées par une version plus récente : examinez celle-ci."
    if line.status == DeclarationLine.Status.VALIDATED:
        return f"Les heures de {who} sont déjà validées : elles ne peuvent plus être examinées."
    if line.status == DeclarationLine.Status.REJECTED:
        return f"Les heures de {who} sont déjà refusées : l'employeur doit d'abord les corriger."
    if line.status == DeclarationLine.Status.DRAFT:
        return f"Les heures de {who} n'ont pas encore été transmises par l'employeur."
    return None


class ReviewForm(forms.Form):
    """Validate or refuse checked lines. Ids outside ``lines`` (the lines the page may review)
    are ignored; a refusal needs a comment, which the employer will read."""

    lines = LineIdsField(
        label="Lignes",
        required=False,
    )
    decision = forms.ChoiceField(
        label="Décision",
        choices=[(DeclarationLine.Status.VALIDATED, "Valider"), (DeclarationLine.Status.REJECTED, "Refuser")],
        error_messages={
            "required": "Choisissez de valider ou de refuser.",
            "invalid_choice": "Choisissez de valider ou de refuser.",
        },
    )
    comment = forms.CharField(
        label="Commentaire pour l'employeur",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire pour refuser : l'employeur le lira pour corriger sa déclaration.",
        error_messages={"max_length": "Le commentaire est limité à 2 000 caractères."},
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.reviewable = lines

    def clean_lines(self):
        ids = self.cleaned_data["lines"]
        lines = list(
            self.reviewable.filter(pk__in=ids).select_related("placement__participant", "declaration__employer")
        )
        if not lines:
            raise forms.ValidationError("Cochez au moins une ligne d'heures à valider ou à refuser.")
        problems = [problem for problem in map(_line_problem, lines) if problem]
        if problems:
            raise forms.ValidationError(problems)
        return lines

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == DeclarationLine.Status.REJECTED and not cleaned.get("comment", "").strip():
            self.add_error(
                "comment", "Dites à l'employeur pourquoi ces heures sont refusées : le commentaire est obligatoire."
            )
        return cleaned

    def checked_ids(self):
        """The ids ticked in the submitted form, to tick them again when the page is shown again."""
        if not self.is_bound:
            return set()
        return set(self.fields["lines"].to_python(self.data.getlist("lines")))
