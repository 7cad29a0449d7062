"""Forms of job offers, pre-selection, candidacy actions and the recruitment outlook; messages in French."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone

from clauses.forms import DATE_WIDGET
from clauses.models import Lot
from common.widgets import FastSelect
from partners.models import Commune, Organisation

from . import candidacy_flow as flow
from .declaration_rules import WEEKLY_HOURS_MAXIMUM
from .models import Candidacy, JobOffer, Participant

ROME_CODE = re.compile(r"^[A-Z]\d{4}$")
ROME_CODE_MESSAGE = "Le code ROME s'écrit avec une lettre et quatre chiffres, par exemple F1703."


class FirstChoiceRadioSelect(forms.RadioSelect):
    """Radio buttons whose label target is the first choice, so the error summary can link to it."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class FirstChoiceCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


def _names(participants):
    return ", ".join(str(p) for p in participants)


# Offers ------------------------------------------------------------------------------------


class OfferFilterForm(forms.Form):
    status = forms.ChoiceField(label="Statut", required=False, choices=[("", "Tous"), *JobOffer.Status.choices])
    employer = forms.ModelChoiceField(
        label="Employeur", required=False, queryset=Organisation.objects.none(), empty_label="Tous", widget=FastSelect
    )
    buyer = forms.ModelChoiceField(
        label="Donneur d'ordre",
        required=False,
        queryset=Organisation.objects.none(),
        empty_label="Tous",
        widget=FastSelect,
    )
    month = forms.ChoiceField(label="Début", required=False)

    def __init__(self, *args, employers, buyers, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.fields["buyer"].queryset = buyers
        self.fields["month"].choices = [("", "Tous les mois")] + [
            (f"{month:%Y-%m}", formats.date_format(month, "F Y").capitalize()) for month in months
        ]

    def filter(self, offers):
        """The offers matching the valid filters; an invalid filter is reported and left out."""
        if not self.is_bound:
            return offers
        self.is_valid()
        data = self.cleaned_data
        if data.get("status"):
            offers = offers.filter(status=data["status"])
        if data.get("employer"):
            offers = offers.filter(employer=data["employer"])
        if data.get("buyer"):
            offers = offers.filter(lot__contract__operation__buyer=data["buyer"])
        if data.get("month"):
            year, month = (int(part) for part in data["month"].split("-"))
            offers = offers.filter(start_date__year=year, start_date__month=month)
        return offers


class JobOfferForm(forms.ModelForm):
    """An offer of a lot: its employer is one of the companies awarded the lot."""

    class Meta:
        model = JobOffer
        fields = [
            "employer",
            "position",
            "rome_code",
            "tasks",
            "skills",
            "contract_type",
            "positions",
            "weekly_hours",
            "start_date",
            "place",
            "status",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "tasks": forms.Textarea(attrs={"rows": 3}),
            "skills": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, lot, **kwargs):
        super().__init__(*args, **kwargs)
        self.lot = lot
        self.instance.lot = lot
        awards = {award.company_id: award for award in lot.awards.select_related("company")}
        employers = Organisation.objects.filter(pk__in=awards)
        if self.instance.pk:  # an employer whose award was removed may stay on its existing offer
            employers = Organisation.objects.filter(pk__in=[*awards, self.instance.employer_id])
        field = self.fields["employer"]
        field.queryset = employers.order_by("name")
        field.label_from_instance = lambda org: (
            f"{org.name} ({awards[org.pk].get_role_display()})" if org.pk in awards else org.name
        )
        field.error_messages["invalid_choice"] = (
            f"Cette entreprise n'est pas attributaire du lot {lot.number} : "
            "ajoutez-la d'abord aux attributaires du lot (titulaire, co-traitante ou sous-traitante)."
        )
        field.help_text = "Une des entreprises attributaires du lot."
        self.fields["rome_code"].help_text = "Facultatif : une lettre et quatre chiffres, par exemple F1703."
        self.fields["rome_code"].error_messages["max_length"] = ROME_CODE_MESSAGE
        self.fields["weekly_hours"].widget.attrs.update(
            {"inputmode": "decimal", "step": "0.5", "min": "1", "max": str(WEEKLY_HOURS_MAXIMUM)}
        )
        # The model refuses more than 48 h (Code du travail L3121-20, durée maximale hebdomadaire).
        self.fields["weekly_hours"].help_text = "Au plus 48 h par semaine (Code du travail L3121-20)."
        self.fields["positions"].widget.attrs.update({"min": "1"})
        self.fields[
            "start_date"
        ].help_text = f"Pendant le lot : du {lot.start_date:%d/%m/%Y} au {lot.end_date:%d/%m/%Y}."
        self.fields["place"].queryset = Commune.objects.for_choice(
            self.instance.place_id, lot.contract.operation.commune_id
        ).order_by("name")
        if not self.instance.pk:
            self.initial.setdefault("place", lot.contract.operation.commune_id)

    def clean_rome_code(self):
        code = self.cleaned_data["rome_code"].strip().upper()
        if code and not ROME_CODE.match(code):
            raise ValidationError(ROME_CODE_MESSAGE)
        return code

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if start and not (self.lot.start_date <= start <= self.lot.end_date):
            raise ValidationError(
                f"Le poste doit commencer pendant le lot, entre le {self.lot.start_date:%d/%m/%Y} "
                f"et le {self.lot.end_date:%d/%m/%Y}."
            )
        return start


class NewOfferLotForm(forms.Form):
    """The lot of a new offer, chosen from the offer list."""

    lot = forms.ModelChoiceField(
        label="Lot de la nouvelle offre",
        queryset=Lot.objects.none(),
        empty_label="Choisissez un lot",
        error_messages={
            "required": "Choisissez le lot de la nouvelle offre.",
            "invalid_choice": "Vous ne pouvez pas créer d'offre sur ce lot.",
        },
    )

    def __init__(self, *args, lots, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["lot"]
        field.queryset = lots.select_related("contract__operation").order_by(
            "contract__operation__title", "contract__reference", "number"
        )
        field.label_from_instance = lambda lot: f"{lot.contract.operation.title} — lot {lot.number} : {lot.title}"


# Pre-selection -----------------------------------------------------------------------------


class ProposeForm(forms.Form):
    """Participants of the pool proposed to an offer; nobody twice to the same offer."""

    participants = forms.ModelMultipleChoiceField(
        label="Personnes à proposer",
        queryset=Participant.objects.none(),
        widget=FirstChoiceCheckboxSelectMultiple,
        error_messages={
            "required": "Cochez au moins une personne à proposer.",
            "invalid_choice": "Une personne cochée n'est plus disponible (non éligible ou déjà en poste).",
            "invalid_pk_value": "Une personne cochée n'est pas reconnue.",
        },
    )

    def __init__(self, *args, offer, candidates, already_proposed, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        self.already_proposed = set(already_proposed)
        self.fields["participants"].queryset = candidates

    def clean_participants(self):
        chosen = self.cleaned_data["participants"]
        duplicates = [p for p in chosen if p.pk in self.already_proposed]
        if len(duplicates) == 1:
            raise ValidationError(f"{duplicates[0]} est déjà proposé(e) à cette offre.")
        if duplicates:
            raise ValidationError(f"Ces personnes sont déjà proposées à cette offre : {_names(duplicates)}.")
        return chosen

    def clean(self):
        cleaned = super().clean()
        if self.offer.status != JobOffer.Status.OPEN:
            raise ValidationError(
                f"Cette offre est « {self.offer.get_status_display().lower()} » : "
                "rouvrez-la avant d'y proposer des personnes."
            )
        return cleaned


# Candidacy actions -------------------------------------------------------------------------


class CandidacyActionForm(forms.Form):
    """The facilitator's actions on a candidacy, answers recorded on the employer's behalf included."""

    actor = flow.FACILITATOR
    labels = {
        flow.SEND: "Transmettre la candidature à l'employeur",
        flow.SCHEDULE_INTERVIEW: "Entretien prévu par l'employeur",
        flow.HIRE: "Embauche par l'employeur",
        flow.REFUSE: "Refus de l'employeur",
        flow.WITHDRAW: "Retirer la candidature",
    }

    action = forms.CharField(
        label="Action", widget=FirstChoiceRadioSelect, error_messages={"required": "Choisissez une action."}
    )
    interview_date = forms.DateField(
        label="Date de l'entretien",
        required=False,
        widget=DATE_WIDGET,
        help_text="Obligatoire pour un entretien.",
        error_messages={"invalid": "Saisissez une date valide."},
    )
    refusal_reason = forms.ChoiceField(
        label="Motif du refus",
        required=False,
        choices=[("", "—"), *Candidacy.RefusalReason.choices],
        help_text="Obligatoire pour un refus.",
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Visible par le facilitateur et par l'employeur : aucune donnée d'éligibilité ici.",
    )

    def __init__(self, *args, candidacy, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidacy = candidacy
        self.fields["action"].widget.choices = [
            (action, self.labels[action]) for action in flow.allowed_actions(candidacy.status, self.actor)
        ]
        self.initial.setdefault("interview_date", candidacy.interview_date)
        self.initial.setdefault("refusal_reason", candidacy.refusal_reason)
        self.initial.setdefault("comment", candidacy.comment)

    @property
    def has_actions(self):
        return bool(self.fields["action"].widget.choices)

    def clean_action(self):
        action = self.cleaned_data["action"]
        message = flow.problem(self.candidacy.status, action, self.actor)
        if message:
            raise ValidationError(message)
        return action

    def clean(self):
        cleaned = super().clean()
        action, day = cleaned.get("action"), cleaned.get("interview_date")
        if action == flow.SCHEDULE_INTERVIEW and not day and "interview_date" not in self.errors:
            self.add_error("interview_date", "Indiquez la date de l'entretien.")
        proposed_on = timezone.localdate(self.candidacy.created_at) if self.candidacy.created_at else None
        if action == flow.SCHEDULE_INTERVIEW and day and proposed_on and day < proposed_on:
            self.add_error(
                "interview_date",
                f"L'entretien ne peut pas précéder la proposition de la candidature (le {proposed_on:%d/%m/%Y}).",
            )
        if action == flow.REFUSE and not cleaned.get("refusal_reason"):
            self.add_error("refusal_reason", "Choisissez le motif du refus.")
        return cleaned

    def save(self):
        candidacy, action = self.candidacy, self.cleaned_data["action"]
        candidacy.status = flow.target(candidacy.status, action)
        if action == flow.SCHEDULE_INTERVIEW:
            candidacy.interview_date = self.cleaned_data["interview_date"]
        if action == flow.REFUSE:
            candidacy.refusal_reason = self.cleaned_data["refusal_reason"]
        if "comment" in self.data:  # the quick "send" button of the offer page leaves the comment as it is
            candidacy.comment = self.cleaned_data["comment"].strip()
        candidacy.save(update_fields=["status", "interview_date", "refusal_reason", "comment", "updated_at"])
        return candidacy


class CandidacyAnswerForm(CandidacyActionForm):
    """The employer's answer in the portal: interview, hired, or refused with a reason."""

    actor = flow.EMPLOYER
    labels = {
        flow.SCHEDULE_INTERVIEW: "Je reçois la personne en entretien",
        flow.HIRE: "J'embauche la personne",
        flow.REFUSE: "Je ne retiens pas la candidature",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].label = "Votre réponse"
        self.fields["comment"].help_text = "Facultatif : lu par le facilitateur des clauses sociales."


# Recruitment outlook -----------------------------------------------------------------------

OUTLOOK_MONTHS = (1, 3, 6, 12)
DEFAULT_OUTLOOK_MONTHS = 3


class OutlookForm(forms.Form):
    months = forms.TypedChoiceField(
        label="Lots qui démarrent dans les prochains",
        required=False,
        coerce=int,
        empty_value=DEFAULT_OUTLOOK_MONTHS,
        initial=DEFAULT_OUTLOOK_MONTHS,
        choices=[(n, f"{n} mois") for n in OUTLOOK_MONTHS],
        error_messages={"invalid_choice": "Choisissez 1, 3, 6 ou 12 mois."},
    )

    def months_value(self):
        if self.is_bound and self.is_valid():
            return self.cleaned_data["months"]
        return DEFAULT_OUTLOOK_MONTHS
