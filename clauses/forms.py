"""Forms of operations, contracts, lots and their clauses; every message in French."""

import operator
from decimal import Decimal
from functools import reduce

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from partners.directory_forms import clean_siret_value
from partners.models import Commune, Organisation
from partners.permissions import is_administrator
from partners.roles import Role
from partners.routing import facilitation_bodies_for

from . import computation, hours, legal_bases
from .filter_paths import CONTRACT_PATHS, LOT_PATHS, OPERATION_PATHS
from .models import Clause, Contract, HoursSettings, InvoicedAmount, Lot, LotAward, Operation, Trade

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _check_dates(form, start_field, end_field, message="La date de fin doit être postérieure à la date de début."):
    start, end = form.cleaned_data.get(start_field), form.cleaned_data.get(end_field)
    if start and end and end < start:
        form.add_error(end_field, message)


class OperationForm(forms.ModelForm):
    class Meta:
        model = Operation
        fields = [
            "buyer",
            "title",
            "commune",
            "project_manager",
            "start_date",
            "end_date",
            "facilitation_body",
            "description",
        ]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["buyer"].queryset = Organisation.objects.filter(
            kind__in=[Organisation.Kind.DEPARTMENT, Organisation.Kind.CONTRACTING_AUTHORITY]
        ).order_by("name")
        self.fields["commune"].queryset = Commune.objects.for_choice(self.instance.commune_id).order_by("name")
        self.fields["commune"].help_text = "Lieu d'exécution : il décide du facilitateur qui suit l'opération."
        bodies = Organisation.objects.facilitation_bodies().order_by("name")
        if not is_administrator(user):
            own = [m.organisation_id for m in user.memberships.all() if m.is_active and m.role == Role.FACILITATOR]
            bodies = bodies.filter(pk__in=own)
        self.fields["facilitation_body"].queryset = bodies
        self.fields[
            "facilitation_body"
        ].help_text = "Proposée d'après les règles de couverture ; laissez vide pour l'attribuer automatiquement."
        self.fields["facilitation_body"].required = False

    def clean(self):
        cleaned = super().clean()
        _check_dates(self, "start_date", "end_date")
        if not cleaned.get("facilitation_body") and cleaned.get("buyer") and cleaned.get("commune"):
            routed = facilitation_bodies_for(cleaned["buyer"], cleaned["commune"])
            allowed = set(self.fields["facilitation_body"].queryset.values_list("pk", flat=True))
            choice = next((body for body in routed if body.pk in allowed), None)
            if choice is None and len(allowed) == 1:
                choice = self.fields["facilitation_body"].queryset.get()
            if choice is None:
                self.add_error(
                    "facilitation_body",
                    "Aucune règle de couverture ne donne cette opération à votre structure : choisissez qui la suit.",
                )
            cleaned["facilitation_body"] = choice
        return cleaned


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = [
            "reference",
            "title",
            "procedure",
            "is_purchase_order_framework",
            "notification_date",
            "start_date",
            "end_date",
        ]
        widgets = {"notification_date": DATE_WIDGET, "start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args, operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.operation = operation
        self.instance.operation = operation

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        duplicate = Contract.objects.filter(operation=self.operation, reference__iexact=reference)
        if duplicate.exclude(pk=self.instance.pk).exists():
            raise ValidationError("Cette opération a déjà un marché avec cette référence.")
        return reference

    def clean(self):
        cleaned = super().clean()
        _check_dates(self, "start_date", "end_date", "La fin d'exécution doit suivre le début d'exécution.")
        notification, start = cleaned.get("notification_date"), cleaned.get("start_date")
        if notification and start and notification > start:
            self.add_error("notification_date", "La notification ne peut pas être postérieure au début d'exécution.")
        if self.instance.pk and start and cleaned.get("end_date"):
            outside = self.instance.lots.exclude(start_date__gte=start, end_date__lte=cleaned["end_date"])
            if outside.exists():
                numbers = ", ".join(f"lot {lot.number}" for lot in outside)
                self.add_error("end_date", f"Des lots sortiraient de ces dates : {numbers}.")
        return cleaned


class LotForm(forms.ModelForm):
    class Meta:
        model = Lot
        fields = ["number", "title", "trade", "sector", "amount_excl_tax", "start_date", "end_date"]
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.instance.contract = contract
        self.fields["trade"].queryset = Trade.objects.order_by("sector", "name")
        self.fields["trade"].help_text = "Donne la part de main-d'œuvre proposée par défaut."
        self.fields["amount_excl_tax"].widget.attrs.update({"inputmode": "decimal", "min": "0", "step": "0.01"})
        if not self.instance.pk:
            self.initial.setdefault("start_date", contract.start_date)
            self.initial.setdefault("end_date", contract.end_date)
        self.fields["sector"].required = False
        self.fields["sector"].help_text = "Déduit du corps d'état s'il est vide."

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        duplicate = Lot.objects.filter(contract=self.contract, number__iexact=number).exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise ValidationError("Ce marché a déjà un lot avec ce numéro.")
        return number

    def clean(self):
        cleaned = super().clean()
        _check_dates(self, "start_date", "end_date")
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        contract = self.contract
        message = (
            f"Les dates du lot doivent être comprises dans celles du marché "
            f"(du {contract.start_date:%d/%m/%Y} au {contract.end_date:%d/%m/%Y})."
        )
        if start and start < contract.start_date:
            self.add_error("start_date", message)
        if end and end > contract.end_date:
            self.add_error("end_date", message)
        if not cleaned.get("sector"):
            if cleaned.get("trade"):
                cleaned["sector"] = cleaned["trade"].sector
            else:
                self.add_error("sector", "Choisissez un secteur ou un corps d'état.")
        return cleaned


CLAUSE_INPUTS = [
    "labour_share",
    "insertion_rate",
    "hourly_cost",
    "worked_hours_share",
    "estimated_worked_hours",
    "euros_per_hour",
    "cleaning_coefficient",
    "transferred_monthly_hours",
]


class ClauseForm(forms.ModelForm):
    """The clause of a lot; the hours are computed from the inputs of the chosen method."""

    prefix = "clause"

    class Meta:
        model = Clause
        fields = ["legal_basis", "method", *CLAUSE_INPUTS, "contractual_hours", "adjustment_reason"]
        widgets = {"method": forms.RadioSelect}

    def __init__(self, *args, contract, trade=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.settings = HoursSettings.current()
        self.computation = None
        if not self.instance.pk:
            self.initial.setdefault("hourly_cost", self.settings.default_hourly_cost)
            self.initial.setdefault("cleaning_coefficient", self.settings.cleaning_coefficient)
            if trade is not None:
                self.initial.setdefault("labour_share", trade.labour_share)
        for name in CLAUSE_INPUTS + ["contractual_hours"]:
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "any"})
        self.fields["labour_share"].help_text = "Vide : la part par défaut du corps d'état."
        self.fields["contractual_hours"].help_text = "Seulement si l'acheteur a arrondi ou ajusté les heures calculées."
        self.fields["adjustment_reason"].help_text = "Obligatoire si les heures contractuelles diffèrent."

    def compute(self, lot_data):
        """Compute the hours from the cleaned inputs and the lot's amount and dates, and check
        what the legal basis requires of those dates (``legal_bases``)."""
        cleaned = self.cleaned_data
        problem = legal_bases.duration_problem(
            cleaned.get("legal_basis"), lot_data.get("start_date"), lot_data.get("end_date")
        )
        if problem:
            self.add_error("legal_basis", problem)
        trade = lot_data.get("trade")
        if cleaned.get("method") == Clause.Method.FORMULA and cleaned.get("labour_share") is None and trade:
            # The trade's default labour share, as the administrator set it.
            cleaned["labour_share"] = self.instance.labour_share = trade.labour_share
        amount = lot_data.get("amount_excl_tax")
        start, end = lot_data.get("start_date"), lot_data.get("end_date")
        months = hours.months_between(start, end) if start and end else None
        invoiced = None
        if self.instance.pk:
            invoiced = sum((i.amount for i in self.instance.lot.invoiced_amounts.all()), Decimal(0))
        self.computation = computation.compute(
            cleaned.get("method"),
            amount if amount is not None else Decimal(0),
            {name: cleaned.get(name) for name in CLAUSE_INPUTS},
            months=months,
            invoiced_total=invoiced,
            minimum=self.settings.minimum_hours,
        )
        for field, message in self.computation.errors.items():
            self.add_error(None if field == "__all__" or field not in self.fields else field, message)
        if self.computation.hours is not None:
            self.instance.computed_hours = self.computation.hours
        return self.computation

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == Clause.Method.PER_EURO_INVOICED and not self.contract.is_purchase_order_framework:
            self.add_error(
                "method", "Les heures par euro facturé sont réservées aux accords-cadres à bons de commande."
            )
        contractual = cleaned.get("contractual_hours")
        if contractual is not None and not cleaned.get("adjustment_reason"):
            self.add_error("adjustment_reason", "Indiquez pourquoi les heures contractuelles diffèrent du calcul.")
        return cleaned


class AwardForm(forms.Form):
    siret = forms.CharField(
        label="SIRET de l'entreprise ou de la structure",
        max_length=20,
        help_text="14 chiffres ; l'entreprise doit être dans l'annuaire.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(label="Rôle", choices=LotAward.Role.choices, initial=LotAward.Role.HOLDER)

    def __init__(self, *args, lot, **kwargs):
        super().__init__(*args, **kwargs)
        self.lot = lot
        self.company = None

    def clean_siret(self):
        siret = clean_siret_value(self.cleaned_data["siret"])
        company = Organisation.objects.employers().filter(siret=siret).first()
        if company is None:
            raise ValidationError(
                "Aucune entreprise ni structure de l'annuaire n'a ce SIRET : ajoutez-la d'abord à l'annuaire."
            )
        if LotAward.objects.filter(lot=self.lot, company=company).exists():
            raise ValidationError("« %(name)s » est déjà attributaire de ce lot.", params={"name": company.name})
        self.company = company
        return siret


class InvoicedAmountForm(forms.ModelForm):
    class Meta:
        model = InvoicedAmount
        fields = ["period_start", "period_end", "amount"]
        widgets = {"period_start": DATE_WIDGET, "period_end": DATE_WIDGET}

    def clean(self):
        cleaned = super().clean()
        _check_dates(self, "period_start", "period_end")
        return cleaned


class LotFilterForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False)
    buyer = forms.ModelChoiceField(label="Donneur d'ordre", required=False, queryset=Organisation.objects.none())
    territory = forms.ChoiceField(label="Territoire", required=False)
    legal_basis = forms.ChoiceField(
        label="Fondement juridique", required=False, choices=[("", "Tous"), *Clause.LegalBasis.choices]
    )
    year = forms.IntegerField(label="Année", required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(label="État", required=False, choices=[("", "Tous"), *hours.STATUS_LABELS.items()])
    behind = forms.BooleanField(label="Seulement les lots en retard", required=False)

    def __init__(self, *args, buyers, epcis, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = buyers
        self.fields["territory"].choices = [
            ("", "Tout l'Ain"),
            ("Secteurs départementaux", [(f"sector-{s.pk}", s.name) for s in sectors]),
            ("EPCI", [(f"epci-{e.pk}", e.name) for e in epcis]),
        ]
        self._sectors = {s.pk: s for s in sectors}
        self._epcis = {e.pk: e for e in epcis}

    def commune_filter(self, prefix):
        """A Q-style dict restricting to the chosen territory, for a path to the commune."""
        value = self.cleaned_data.get("territory") or ""
        kind, _, pk = value.partition("-")
        if kind == "epci" and pk.isdigit() and int(pk) in self._epcis:
            return {f"{prefix}__epci": self._epcis[int(pk)]}
        if kind == "sector" and pk.isdigit() and int(pk) in self._sectors:
            sector = self._sectors[int(pk)]
            return {f"{prefix}__epci__in": list(sector.epcis.all())}
        return {}

    def _filtered(self, objects, paths):
        """``objects`` matching the valid filters, through ``paths`` (all of them when the form is
        unbound or invalid). One ``filter()`` per criterion, in this order, as each list did."""
        if not self.is_valid():
            return objects
        data = self.cleaned_data
        if data["q"]:
            objects = objects.filter(
                reduce(operator.or_, (Q(**{f"{path}__icontains": data["q"]}) for path in paths.texts))
            )
        if data["buyer"]:
            objects = objects.filter(**{paths.buyer: data["buyer"]})
        objects = objects.filter(**self.commune_filter(paths.commune))
        if data["year"]:
            start, end = paths.dates
            objects = objects.filter(**{f"{start}__year__lte": data["year"], f"{end}__year__gte": data["year"]})
        if data["legal_basis"]:
            objects = objects.filter(**{paths.legal_basis: data["legal_basis"]})
        return objects

    def filter_operations(self, operations):
        return self._filtered(operations, OPERATION_PATHS)

    def filter_contracts(self, contracts):
        return self._filtered(contracts, CONTRACT_PATHS)

    def filter_lots(self, lots):
        return self._filtered(lots, LOT_PATHS)

    def keep_rows_in_state(self, rows):
        """The (operation or contract, progress or None) rows in the chosen state (« behind » when only
        that box is ticked); a row without progress has no state."""
        if not self.is_valid():
            return rows
        status = self.cleaned_data["status"] or (hours.BEHIND if self.cleaned_data["behind"] else "")
        if not status:
            return rows
        return [row for row in rows if row[1] is not None and row[1].status == status]

    def keep_lot_rows(self, rows):
        """The (lot, progress) rows in the chosen state, and only those behind when asked."""
        if not self.is_valid():
            return rows
        if self.cleaned_data["status"]:
            rows = [row for row in rows if row[1].status == self.cleaned_data["status"]]
        if self.cleaned_data["behind"]:
            rows = [row for row in rows if row[1].status == hours.BEHIND]
        return rows
