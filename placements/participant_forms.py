"""Forms of participants and their eligibility criteria, filters of the lists; messages in French."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory

from clauses.models import Trade, facilitation_bodies_of
from common.dates import today
from common.widgets import FastSelect
from partners.models import Commune, Organisation

from . import eligibility
from .models import EligibilityCriterion, Participant

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MIN_AGE = 16
MAX_AGE = 80
CRITERION_FILTER_CHOICES = [("", "Tous les critères"), *eligibility.CRITERIA_CHOICES]


class TradeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def employment_services():
    return Organisation.objects.filter(kind=Organisation.Kind.EMPLOYMENT_SERVICE).order_by("name")


def facilitation_body_of(user):
    """The body a new participant is followed by: the user's facilitation body, else the Département."""
    bodies = facilitation_bodies_of(user)
    if bodies:
        return Organisation.objects.get(pk=min(bodies))
    return Organisation.objects.department().get()


# Participant --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicate:
    """A person of the same name and birth date; ``participant`` is None when the user may not see them."""

    participant: Participant | None
    body_name: str


class ParticipantForm(forms.ModelForm):
    wished_trades = TradeChoiceField(
        label="Métiers souhaités",
        queryset=Trade.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = Participant
        fields = [
            "first_name",
            "last_name",
            "birth_date",
            "sex",
            "commune",
            "address",
            "email",
            "phone",
            "education_level",
            "mobility",
            "wished_trades",
            "availability",
            "prescriber",
            "referent",
            "rsa_at_entry",
            "data_information_date",
            "notes",
        ]
        widgets = {
            "birth_date": DATE_WIDGET,
            "data_information_date": DATE_WIDGET,
            "sex": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"first_name": "Prénom", "last_name": "Nom"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.duplicates = []
        self.fields["sex"].choices = Participant.Sex.choices
        self.fields["commune"].queryset = Commune.objects.for_choice(self.instance.commune_id).order_by("name")
        self.fields["commune"].empty_label = "Choisir une commune"
        self.fields["education_level"].choices = [("", "Choisir un niveau"), *Participant.EducationLevel.choices]
        self.fields["prescriber"].queryset = employment_services()
        self.fields["prescriber"].empty_label = "Aucun"
        self.fields["prescriber"].help_text = "Le service public de l'emploi qui a orienté la personne."
        self.fields["mobility"].choices = [("", "Non renseignée"), *Participant.Mobility.choices]
        self.fields["availability"].help_text = "Par exemple : immédiate, à partir de septembre, le matin seulement."
        self.fields["phone"].widget.attrs.update({"type": "tel", "autocomplete": "off"})
        self.fields["email"].widget.attrs.update({"autocomplete": "off"})
        self.fields[
            "data_information_date"
        ].help_text = "Date à laquelle la personne a été informée de l'usage de ses données personnelles."
        self.fields["rsa_at_entry"].help_text = "Au moment de l'entrée dans le parcours."

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        age = eligibility.age_on(birth_date, today())
        if age < MIN_AGE:
            raise ValidationError(
                f"La personne doit avoir au moins {MIN_AGE} ans : vérifiez la date de naissance "
                f"(âge calculé : {age} ans)."
            )
        if age > MAX_AGE:
            raise ValidationError(
                f"La personne doit avoir au plus {MAX_AGE} ans : vérifiez la date de naissance "
                f"(âge calculé : {age} ans)."
            )
        return birth_date

    def clean_data_information_date(self):
        informed = self.cleaned_data["data_information_date"]
        if informed > today():
            raise ValidationError("La date d'information ne peut pas être dans le futur.")
        return informed

    def clean(self):
        cleaned = super().clean()
        birth_date, informed = cleaned.get("birth_date"), cleaned.get("data_information_date")
        if birth_date and informed and informed < birth_date:
            self.add_error("data_information_date", "La date d'information ne peut pas précéder la date de naissance.")
        return cleaned

    def identity_changed(self):
        """A new person, or one whose name or birth date changes: look for duplicates."""
        return self.instance.pk is None or bool({"first_name", "last_name", "birth_date"} & set(self.changed_data))

    def find_duplicates(self):
        """People of the same name and birth date, among ALL participants (call on a valid form)."""
        if not self.identity_changed():
            return []
        data = self.cleaned_data
        found = list(
            Participant.objects.possible_duplicates_of(
                data["first_name"], data["last_name"], data["birth_date"], exclude_pk=self.instance.pk
            ).select_related("facilitation_body", "commune")
        )
        visible = set(
            Participant.objects.for_user(self.user).filter(pk__in=[p.pk for p in found]).values_list("pk", flat=True)
        )
        self.duplicates = [
            Duplicate(participant if participant.pk in visible else None, participant.facilitation_body.name)
            for participant in found
        ]
        return self.duplicates


class DuplicateConfirmationForm(forms.Form):
    """Shown when a person of the same name and birth date exists; must be ticked to save."""

    prefix = "duplicate"

    confirm = forms.BooleanField(label="Je confirme qu'il s'agit d'une autre personne", required=False)

    def confirmed(self):
        return self.is_valid() and self.cleaned_data["confirm"]

    def require_confirmation(self):
        self.is_valid()
        self.add_error(
            "confirm",
            "Une personne de même nom et date de naissance existe déjà : cochez cette case si c'est bien "
            "une autre personne, sinon ouvrez sa fiche au lieu d'en créer une nouvelle.",
        )


# Eligibility criteria -----------------------------------------------------------------------


class CriterionForm(forms.ModelForm):
    class Meta:
        model = EligibilityCriterion
        fields = ["criterion", "assessed_on", "proof", "confirming_prescriber"]
        widgets = {"assessed_on": DATE_WIDGET}
        labels = {"criterion": "Critère"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", "Choisir un critère"), *eligibility.CRITERIA_CHOICES]
        self.fields["confirming_prescriber"].queryset = employment_services()
        self.fields["confirming_prescriber"].empty_label = "Aucun"
        self.fields["proof"].help_text = "Par exemple : attestation CAF de janvier, notification MDPH."
        if self.instance.pk is None:
            self.initial.setdefault("assessed_on", today())

    def _get_validation_exclusions(self):
        # The same criterion twice is checked across the whole formset (BaseCriterionFormSet.clean),
        # which also allows removing a criterion and adding it again in one submission.
        exclude = super()._get_validation_exclusions()
        exclude.add("criterion")
        return exclude

    def clean_assessed_on(self):
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > today():
            raise ValidationError("La date d'appréciation ne peut pas être dans le futur.")
        return assessed_on

    def clean(self):
        cleaned = super().clean()
        criterion = cleaned.get("criterion")
        if criterion:
            prescriber = cleaned.get("confirming_prescriber")
            problem = eligibility.proof_problem(criterion, cleaned.get("proof"), prescriber.pk if prescriber else None)
            if problem:
                field = "confirming_prescriber" if criterion in eligibility.PRESCRIBER_ONLY else "proof"
                self.add_error(field, problem)
        return cleaned


class BaseCriterionFormSet(BaseInlineFormSet):
    """At least one criterion, no criterion twice, none assessed before the person was born."""

    birth_date = None

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Supprimer ce critère"

    def kept_forms(self):
        return [
            form
            for form in self.forms
            if (form.has_changed() or form.instance.pk) and not self._should_delete_form(form)
        ]

    def clean(self):
        # Replaces the model formset's unique check: the duplicate is reported next to its field.
        seen = set()
        kept = self.kept_forms()
        for form in kept:
            criterion = form.cleaned_data.get("criterion")
            if criterion and criterion in seen:
                form.add_error("criterion", "Ce critère est déjà indiqué : ne le saisissez qu'une fois.")
            seen.add(criterion)
            assessed_on = form.cleaned_data.get("assessed_on")
            if self.birth_date and assessed_on and assessed_on < self.birth_date:
                form.add_error("assessed_on", "La date d'appréciation ne peut pas précéder la date de naissance.")
        if not kept:
            raise ValidationError(
                "Indiquez au moins un critère d'éligibilité, avec son justificatif ou le prescripteur qui le confirme.",
                code="no_criterion",
            )


def criterion_formset(data=None, instance=None):
    extra = 1 if instance is not None and instance.pk else 2
    formset_class = inlineformset_factory(
        Participant,
        EligibilityCriterion,
        form=CriterionForm,
        formset=BaseCriterionFormSet,
        extra=extra,
        can_delete=True,
    )
    queryset = None
    if instance is not None and instance.pk:
        queryset = instance.criteria.select_related("confirming_prescriber")
    return formset_class(data, instance=instance, prefix="criteria", queryset=queryset)


def forms_are_valid(form, formset):
    """Validate both (all errors shown at once); the criteria are checked against the birth date."""
    form_ok = form.is_valid()
    formset.birth_date = form.cleaned_data.get("birth_date") if hasattr(form, "cleaned_data") else None
    formset_ok = formset.is_valid()
    return form_ok and formset_ok


@transaction.atomic
def save_participant(form, formset, user):
    """Save the participant and their criteria together; the user validates what they changed."""
    participant = form.save(commit=False)
    if participant.pk is None:
        participant.facilitation_body = facilitation_body_of(user)
    participant.save()
    form.save_m2m()
    formset.instance = participant
    criteria = formset.save(commit=False)
    for criterion in formset.deleted_objects:
        criterion.delete()
    for criterion in criteria:
        criterion.participant = participant
        criterion.validated_by = user
        criterion.save()
    return participant


# Filters -----------------------------------------------------------------------------------


class TerritoryFilterMixin:
    def set_territories(self, epcis, communes):
        self.fields["territory"].choices = [
            ("", "Tout l'Ain"),
            ("EPCI", [(f"epci-{e.pk}", e.name) for e in epcis]),
            ("Communes", [(f"commune-{c.pk}", c.name) for c in communes]),
        ]

    def territory_filter(self, prefix="commune"):
        value = self.cleaned_data.get("territory") or ""
        kind, _, pk = value.partition("-")
        if kind == "epci" and pk.isdigit():
            return {f"{prefix}__epci_id": int(pk)}
        if kind == "commune" and pk.isdigit():
            return {f"{prefix}_id": int(pk)}
        return {}


class ParticipantFilterForm(TerritoryFilterMixin, forms.Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Nom ou prénom", "type": "search"}),
    )
    territory = forms.ChoiceField(label="Résidence", required=False, widget=FastSelect)
    criterion = forms.ChoiceField(label="Critère d'éligibilité", required=False, choices=CRITERION_FILTER_CHOICES)
    rsa = forms.ChoiceField(
        label="RSA à l'entrée", required=False, choices=[("", "Tous"), ("yes", "Oui"), ("no", "Non")]
    )
    sex = forms.ChoiceField(label="Sexe", required=False, choices=[("", "Tous"), *Participant.Sex.choices])
    available = forms.BooleanField(label="Seulement les personnes disponibles", required=False)

    def __init__(self, *args, epcis, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_territories(epcis, communes)

    def filter(self, participants, available):
        """``available`` is the queryset of people not in a running placement (eligible ones)."""
        if not self.is_valid():
            return participants
        data = self.cleaned_data
        for term in data["q"].split():
            participants = participants.filter(Q(first_name__icontains=term) | Q(last_name__icontains=term))
        participants = participants.filter(**self.territory_filter())
        if data["criterion"]:
            participants = participants.filter(criteria__criterion=data["criterion"])
        if data["rsa"]:
            participants = participants.filter(rsa_at_entry=data["rsa"] == "yes")
        if data["sex"]:
            participants = participants.filter(sex=data["sex"])
        if data["available"]:
            participants = participants.filter(pk__in=available.values("pk"))
        return participants


class CandidatePoolFilterForm(TerritoryFilterMixin, forms.Form):
    territory = forms.ChoiceField(label="Résidence", required=False, widget=FastSelect)
    criterion = forms.ChoiceField(label="Critère d'éligibilité", required=False, choices=CRITERION_FILTER_CHOICES)
    mobility = forms.ChoiceField(
        label="Mobilité", required=False, choices=[("", "Toutes"), *Participant.Mobility.choices]
    )
    trade = forms.ModelChoiceField(
        label="Métier souhaité", required=False, queryset=Trade.objects.order_by("name"), empty_label="Tous"
    )

    def __init__(self, *args, epcis, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_territories(epcis, communes)
        self.fields["trade"].label_from_instance = lambda trade: trade.name

    def filter(self, participants):
        if not self.is_valid():
            return participants
        data = self.cleaned_data
        participants = participants.filter(**self.territory_filter())
        if data["criterion"]:
            participants = participants.filter(criteria__criterion=data["criterion"])
        if data["mobility"]:
            participants = participants.filter(mobility=data["mobility"])
        if data["trade"]:
            participants = participants.filter(wished_trades=data["trade"])
        return participants
