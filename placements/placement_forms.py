"""Forms of placements, follow-ups and outcomes; every message is in French, next to its field."""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, Value, When

from clauses.forms import DATE_WIDGET
from clauses.models import Lot, Operation
from common.dates import today
from partners.models import Organisation

from . import outcomes
from .declaration_rules import WEEKLY_HOURS_MAXIMUM, weekly_problem
from .models import ContractType, FollowUp, Outcome, Participant, Placement, has_validated_criterion

# Modes where an inclusion structure may work on a lot without being awarded it.
STRUCTURE_MODES = frozenset({Placement.Mode.PROVISION, Placement.Mode.SUBCONTRACTING})
# A 6-month (12-month) outcome may be collected this many days before it is due.
OUTCOME_EARLY_DAYS = 15


def _day(value):
    return f"{value:%d/%m/%Y}"


def _participant_label(participant):
    label = f"{participant.last_name} {participant.first_name} — né(e) le {_day(participant.birth_date)}"
    if not getattr(participant, "has_criterion", True):
        label += " — aucun critère validé"
    return label


def _lot_label(lot):
    return (
        f"{lot.contract.operation.title} — lot {lot.number} {lot.title} "
        f"(du {_day(lot.start_date)} au {_day(lot.end_date)})"
    )


def _employer_label(organisation):
    kind = organisation.structure_kind
    if organisation.kind == Organisation.Kind.INCLUSION_STRUCTURE and kind and f"({kind})" not in organisation.name:
        return f"{organisation.name} ({kind})"
    return organisation.name


# Placements --------------------------------------------------------------------------------

NO_CRITERION_ACKNOWLEDGEMENT = (
    "Je sais que cette personne n'a aucun critère d'éligibilité validé : ses heures ne compteront pas "
    "pour la clause tant qu'un critère n'est pas validé"
)


class PlacementForm(forms.ModelForm):
    """A person working on a lot for an employer, with the hiring checklist.

    From a hired candidacy, the person and the lot are those of the candidacy (shown, not
    editable); the employer, the contract and the weekly hours come from the offer.

    A person with no validated eligibility criterion (``Participant.is_eligible``) may be placed
    while their proof is gathered, but only once the facilitator ticks that their hours will not
    count until a criterion is validated; the box is shown only for such a person.
    """

    no_criterion_acknowledged = forms.BooleanField(
        label=NO_CRITERION_ACKNOWLEDGEMENT,
        required=False,
        help_text="Possible quand son justificatif est en cours de recueil : validez le critère sur sa fiche "
        "dès qu'il est vu.",
    )

    class Meta:
        model = Placement
        fields = [
            "participant",
            "lot",
            "employer",
            "mode",
            "contract_type",
            "start_date",
            "end_date",
            "weekly_hours",
            "contract_signed",
            "eligibility_proof_filed",
            "start_confirmed",
        ]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}
        labels = {"participant": "Personne", "start_date": "Date de début", "end_date": "Date de fin"}
        error_messages = {
            "participant": {"required": "Choisissez la personne mise à l'emploi."},
            "lot": {"required": "Choisissez le lot sur lequel la personne travaille."},
            "employer": {"required": "Choisissez l'employeur."},
            "mode": {"required": "Choisissez le mode de réalisation."},
            "contract_type": {"required": "Choisissez le type de contrat."},
            "start_date": {"required": "Indiquez la date de début.", "invalid": "Saisissez une date valide."},
            "end_date": {"invalid": "Saisissez une date valide."},
            "weekly_hours": {"required": "Indiquez les heures par semaine.", "invalid": "Saisissez un nombre."},
        }

    def __init__(self, *args, user, candidacy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.candidacy = candidacy if candidacy is not None else self.instance.candidacy
        instance = self.instance

        participants = Participant.objects.for_user(user)
        lots = Lot.objects.filter(contract__operation__in=Operation.objects.editable_by(user))
        keep = [pk for pk in (instance.participant_id, getattr(self.candidacy, "participant_id", None)) if pk]
        if keep:  # the person of an existing placement (or of the candidacy) stays selectable
            participants = Participant.objects.filter(Q(pk__in=participants) | Q(pk__in=keep))
        keep_lots = [
            pk for pk in (instance.lot_id, getattr(getattr(self.candidacy, "offer", None), "lot_id", None)) if pk
        ]
        if keep_lots:
            lots = Lot.objects.filter(Q(pk__in=lots) | Q(pk__in=keep_lots))

        field = self.fields["participant"]
        field.queryset = participants.annotate(has_criterion=has_validated_criterion()).order_by(
            "last_name", "first_name", "birth_date"
        )
        field.label_from_instance = _participant_label
        field.empty_label = "Choisissez une personne"
        field.error_messages["invalid_choice"] = "Vous ne suivez pas cette personne : choisissez-en une de la liste."

        field = self.fields["lot"]
        field.queryset = lots.select_related("contract__operation").order_by(
            "contract__operation__title", "contract__reference", "number"
        )
        field.label_from_instance = _lot_label
        field.empty_label = "Choisissez un lot"
        field.error_messages["invalid_choice"] = "Vous ne pouvez pas enregistrer de mise à l'emploi sur ce lot."

        field = self.fields["employer"]
        field.queryset = Organisation.objects.employers().order_by("name")
        field.label_from_instance = _employer_label
        field.empty_label = "Choisissez un employeur"
        field.error_messages["invalid_choice"] = "Choisissez une entreprise ou une structure de la liste."
        field.help_text = (
            "Une entreprise attributaire du lot ; ou une structure d'insertion ou du handicap "
            "(ETTI, AI, GEIQ, SIAE, EA, ESAT) en mise à disposition ou en sous-traitance."
        )
        end_help = "Laissez vide si elle n'est pas encore connue (CDI) : les sorties seront planifiées une fois saisie."
        self.fields["end_date"].help_text = end_help
        self.fields["weekly_hours"].widget.attrs.update(
            {"inputmode": "decimal", "step": "0.5", "min": "1", "max": str(WEEKLY_HOURS_MAXIMUM)}
        )
        self.fields["weekly_hours"].help_text = (
            "Au plus 48 h par semaine (Code du travail L3121-20), en comptant ses autres mises à l'emploi "
            "aux mêmes dates."
        )
        self.fields["contract_type"].choices = [("", "Choisissez le type de contrat"), *ContractType.choices]
        self.fields["mode"].help_text = "Les heures de formation ne comptent que si le réglage local le prévoit."

        if not instance.pk:
            self.initial.setdefault("mode", Placement.Mode.DIRECT_HIRE)
        if self.candidacy is not None:
            offer = self.candidacy.offer
            instance.candidacy = self.candidacy
            for name in ("participant", "lot"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Celle de la candidature retenue."
            self.fields["lot"].help_text = "Celui de l'offre d'emploi."
            if not instance.pk:
                self.initial.update(
                    participant=self.candidacy.participant_id,
                    lot=offer.lot_id,
                    employer=offer.employer_id,
                    contract_type=offer.contract_type,
                    weekly_hours=offer.weekly_hours,
                    start_date=offer.start_date,
                    mode=(
                        Placement.Mode.DIRECT_HIRE
                        if offer.employer.kind == Organisation.Kind.COMPANY
                        else Placement.Mode.SUBCONTRACTING
                    ),
                )

    @property
    def asks_no_criterion_acknowledgement(self):
        """Whether the person chosen (posted, or known beforehand) has no validated criterion."""
        if self.is_bound:
            return getattr(self, "_without_criterion", False)
        value = self["participant"].value()  # the placement's, the candidacy's or the one asked for
        if not str(value).isdigit():
            return False
        participant = self.fields["participant"].queryset.filter(pk=value).first()
        return participant is not None and not participant.is_eligible()

    def _check_eligibility(self, data):
        participant = data.get("participant")
        self._without_criterion = participant is not None and not participant.is_eligible()
        if self._without_criterion and not data.get("no_criterion_acknowledged"):
            self.add_error(
                "no_criterion_acknowledged",
                f"{participant} n'a aucun critère d'éligibilité validé : ses heures ne compteront pas pour la "
                "clause. Validez d'abord un critère sur sa fiche, ou cochez cette case si son justificatif est "
                "en cours de recueil.",
            )

    def _check_weekly_hours(self, data):
        """48 h a week at most for the person, all their placements running at the same time added
        up (Code du travail L3121-20): the error names the other placements (only facilitators and
        administrators fill this form, they may see the other employers)."""
        participant, weekly_hours = data.get("participant"), data.get("weekly_hours")
        start, end = data.get("start_date"), data.get("end_date")
        if participant is None or weekly_hours is None or start is None or "weekly_hours" in self.errors:
            return
        if weekly_hours > WEEKLY_HOURS_MAXIMUM:
            return  # the model's validator says so, with its own words
        others = Placement.objects.filter(participant=participant).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start)
        )
        if end is not None:
            others = others.filter(start_date__lte=end)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        others = [
            (
                f"lot {other.lot.number} « {other.lot.contract.operation.title} » chez {other.employer.name}, "
                f"du {_day(other.start_date)}" + (f" au {_day(other.end_date)}" if other.end_date else ""),
                other.start_date,
                other.end_date,
                other.weekly_hours,
            )
            for other in others.select_related("lot__contract__operation", "employer").order_by("start_date", "pk")
        ]
        problem = weekly_problem(weekly_hours, start, end, others)
        if problem:
            self.add_error("weekly_hours", problem)

    def clean(self):
        data = super().clean()
        self._check_eligibility(data)
        self._check_weekly_hours(data)
        lot, employer, mode = data.get("lot"), data.get("employer"), data.get("mode")
        start, end = data.get("start_date"), data.get("end_date")
        if lot is not None:
            lot_dates = f"du {_day(lot.start_date)} au {_day(lot.end_date)}"
            if start and not lot.start_date <= start <= lot.end_date:
                self.add_error(
                    "start_date",
                    f"Le lot {lot.number} se déroule {lot_dates} : la mise à l'emploi doit commencer dans ces dates.",
                )
            if end and not lot.start_date <= end <= lot.end_date:
                self.add_error(
                    "end_date",
                    f"Le lot {lot.number} se déroule {lot_dates} : la mise à l'emploi doit finir dans ces dates.",
                )
        if start and end and end < start and "end_date" not in self.errors:
            self.add_error("end_date", "La date de fin doit être égale ou postérieure à la date de début.")
        if lot is not None and employer is not None and not lot.awards.filter(company=employer).exists():
            if employer.kind != Organisation.Kind.INCLUSION_STRUCTURE:
                self.add_error(
                    "employer",
                    f"« {employer.name} » n'est pas attributaire du lot {lot.number} : ajoutez-la d'abord aux "
                    "attributaires du lot, ou choisissez une structure d'insertion en mise à disposition "
                    "ou en sous-traitance.",
                )
            elif mode and mode not in STRUCTURE_MODES:
                self.add_error(
                    "employer",
                    f"« {employer.name} » n'est pas attributaire du lot {lot.number} : une structure non "
                    "attributaire n'intervient qu'en mise à disposition ou en sous-traitance. Changez le mode "
                    "de réalisation ou ajoutez la structure aux attributaires du lot.",
                )
        return data


# Follow-ups --------------------------------------------------------------------------------


FOLLOW_UP_FILTERS = [
    ("", "À faire : en retard et dans les 7 jours"),
    ("overdue", "En retard"),
    ("week", "Dans les 7 prochains jours"),
    ("done", "Réalisés"),
    ("all", "Tous"),
]


class FollowUpFilterForm(forms.Form):
    show = forms.ChoiceField(label="Afficher", required=False, choices=FOLLOW_UP_FILTERS)

    def filter(self, follow_ups, on):
        """The follow-ups to show on ``on``; an unknown choice falls back to the default."""
        show = self.cleaned_data.get("show", "") if self.is_valid() else ""
        soon = on + timedelta(days=7)
        if show == "overdue":
            return follow_ups.filter(done_on__isnull=True, due_date__lt=on).order_by("due_date", "pk")
        if show == "week":
            return follow_ups.filter(done_on__isnull=True, due_date__gte=on, due_date__lte=soon).order_by(
                "due_date", "pk"
            )
        if show == "done":
            return follow_ups.filter(done_on__isnull=False).order_by("-done_on", "-pk")
        if show == "all":
            to_do_first = Case(When(done_on__isnull=True, then=Value(0)), default=Value(1))
            return follow_ups.order_by(to_do_first, "due_date", "pk")
        return follow_ups.filter(done_on__isnull=True, due_date__lte=soon).order_by("due_date", "pk")


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["done_on", "notes"]
        widgets = {"done_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 4})}
        labels = {"done_on": "Réalisé le"}
        help_texts = {"notes": "Ce qui a été dit, les difficultés, ce qui est prévu."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["done_on"]
        field.required = True
        field.error_messages.update(
            required="Indiquez la date à laquelle le suivi a eu lieu.", invalid="Saisissez une date valide."
        )
        if not self.instance.done_on:
            self.initial["done_on"] = today()

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        start = self.instance.placement.start_date
        if done_on > today():
            raise ValidationError("La date du suivi ne peut pas être dans le futur.")
        if done_on < start:
            raise ValidationError(f"Le suivi ne peut pas précéder le début de la mise à l'emploi, le {_day(start)}.")
        return done_on


# Outcomes ----------------------------------------------------------------------------------


class OutcomeForm(forms.ModelForm):
    """The situation of a person at the end of a placement, or 6 (12) months later."""

    class Meta:
        model = Outcome
        fields = ["situation", "rsa_status", "recorded_on", "notes"]
        widgets = {"recorded_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 4})}
        labels = {"recorded_on": "Recueillie le", "rsa_status": "Situation au regard du RSA à cette date"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        situation = self.fields["situation"]
        situation.required = True
        situation.choices = [("", "Choisissez la situation"), *outcomes.SITUATION_CHOICES]
        situation.error_messages.update(required="Choisissez la situation de la personne.")
        situation.help_text = (
            "Emploi durable, emploi de transition et sortie positive sont des « sorties dynamiques ». "
            "Les sorties neutres (maladie, maternité, déménagement, décès) ne sont pas comptées."
        )
        rsa = self.fields["rsa_status"]
        rsa.required = True
        rsa.choices = [("", "Choisissez"), *Outcome.RsaStatus.choices]
        rsa.error_messages.update(required="Indiquez si la personne perçoit le RSA (ou « Non concerné(e) »).")
        recorded = self.fields["recorded_on"]
        recorded.required = True
        recorded.error_messages.update(
            required="Indiquez la date à laquelle la situation a été recueillie.", invalid="Saisissez une date valide."
        )
        if not self.instance.recorded_on:
            self.initial["recorded_on"] = today()
            if not self.instance.rsa_status and not self.instance.placement.participant.rsa_at_entry:
                self.initial["rsa_status"] = Outcome.RsaStatus.NOT_CONCERNED

    def earliest_date(self):
        """The first day the outcome may be recorded: the end of the placement for the exit,
        15 days before the due date for the later ones."""
        outcome = self.instance
        if outcome.moment == Outcome.Moment.EXIT:
            return outcome.placement.end_date or outcome.due_date
        return outcome.due_date - timedelta(days=OUTCOME_EARLY_DAYS)

    def clean_recorded_on(self):
        recorded_on = self.cleaned_data["recorded_on"]
        outcome = self.instance
        if recorded_on > today():
            raise ValidationError("La date de recueil ne peut pas être dans le futur.")
        earliest = self.earliest_date()
        if recorded_on < earliest:
            if outcome.moment == Outcome.Moment.EXIT:
                raise ValidationError(
                    f"La situation à la sortie se recueille à la fin de la mise à l'emploi, le {_day(earliest)} "
                    "au plus tôt."
                )
            raise ValidationError(
                f"La situation {outcome.get_moment_display().lower()} se recueille à partir du {_day(earliest)} "
                f"(15 jours avant l'échéance du {_day(outcome.due_date)})."
            )
        return recorded_on
