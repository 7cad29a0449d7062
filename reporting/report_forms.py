"""The form to ask for a report: its kind, its period and its scope, limited to what the user sees."""

from datetime import date

from django import forms

from clauses.models import Contract, Operation
from clauses.models import today as local_today
from partners.models import Epci, Organisation, Sector
from partners.permissions import has_role, is_administrator
from partners.roles import Role
from partners.widgets import FastSelect

from . import scope as scopes
from .models import Report
from .rules import Period

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ELEMENT_FIELDS = {
    scopes.SECTOR: "sector",
    scopes.EPCI: "epci",
    scopes.BUYER: "buyer",
    scopes.FACILITATION_BODY: "facilitation_body",
    scopes.CONTRACT: "contract",
}
MISSING_ELEMENT = {
    scopes.SECTOR: "Choisissez le secteur départemental.",
    scopes.EPCI: "Choisissez l'EPCI.",
    scopes.BUYER: "Choisissez le donneur d'ordre.",
    scopes.FACILITATION_BODY: "Choisissez la structure d'animation.",
    scopes.CONTRACT: "Choisissez le marché.",
}
BUYER_REPORT_SCOPES = (scopes.BUYER, scopes.CONTRACT)
FACILITATOR_SCOPES = (scopes.FACILITATION_BODY, scopes.BUYER, scopes.CONTRACT)


class ContractChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.reference} — {obj.title}"


def sees_everything(user):
    return is_administrator(user) or has_role(user, Role.DEPARTMENT_READER)


class ReportRequestForm(forms.Form):
    # The yearly PNAD/SPASER report is asked for from its own page (compliance), for a calendar year.
    kind = forms.ChoiceField(
        label="Type de bilan",
        choices=[(kind, label) for kind, label in Report.Kind.choices if kind != Report.Kind.COMPLIANCE],
        initial=Report.Kind.IMPACT,
    )
    period_start = forms.DateField(label="Début de la période", widget=DATE_WIDGET)
    period_end = forms.DateField(label="Fin de la période", widget=DATE_WIDGET)
    scope_kind = forms.ChoiceField(label="Périmètre")
    sector = forms.ModelChoiceField(
        label="Secteur départemental",
        queryset=Sector.objects.none(),
        required=False,
        empty_label="—",
        widget=FastSelect,
    )
    epci = forms.ModelChoiceField(
        label="EPCI", queryset=Epci.objects.none(), required=False, empty_label="—", widget=FastSelect
    )
    buyer = forms.ModelChoiceField(
        label="Donneur d'ordre",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
        widget=FastSelect,
    )
    facilitation_body = forms.ModelChoiceField(
        label="Structure d'animation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="—",
        widget=FastSelect,
    )
    contract = ContractChoiceField(
        label="Marché", queryset=Contract.objects.none(), required=False, empty_label="—", widget=FastSelect
    )

    def __init__(self, *args, user, **kwargs):
        today = kwargs.pop("today", None) or local_today()
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["period_start"].initial = date(today.year, 1, 1)
        self.fields["period_end"].initial = date(today.year, 12, 31)
        operations = Operation.objects.for_user(user)
        if sees_everything(user):
            kinds = list(scopes.KIND_LABELS)
            self.fields["sector"].queryset = Sector.objects.order_by("name")
            self.fields["epci"].queryset = Epci.objects.order_by("name")
            self.fields["facilitation_body"].queryset = Organisation.objects.facilitation_bodies().order_by("name")
        else:
            kinds = list(FACILITATOR_SCOPES)
            own = [m.organisation_id for m in user.memberships.all() if m.is_active and m.role == Role.FACILITATOR]
            self.fields["facilitation_body"].queryset = Organisation.objects.filter(pk__in=own).order_by("name")
            if len(own) == 1:
                self.fields["facilitation_body"].initial = own[0]  # a facilitator's own body, chosen for them
            for name in ("sector", "epci"):
                del self.fields[name]
        self.fields["buyer"].queryset = Organisation.objects.filter(pk__in=operations.values("buyer")).order_by("name")
        self.fields["contract"].queryset = Contract.objects.filter(operation__in=operations).order_by("reference")
        self.fields["scope_kind"].choices = [(kind, scopes.KIND_LABELS[kind]) for kind in kinds]
        self.fields["scope_kind"].initial = kinds[0]
        self.element_fields = [self[name] for name in ELEMENT_FIELDS.values() if name in self.fields]

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "La fin de la période précède son début.")
        kind, scope_kind = data.get("kind"), data.get("scope_kind")
        if kind == Report.Kind.BUYER and scope_kind and scope_kind not in BUYER_REPORT_SCOPES:
            self.add_error("scope_kind", "Un bilan de clause porte sur un donneur d'ordre ou sur un marché.")
            return data
        field = ELEMENT_FIELDS.get(scope_kind)
        if field and not data.get(field):
            self.add_error(field, MISSING_ELEMENT[scope_kind])
        return data

    @property
    def period(self):
        return Period(self.cleaned_data["period_start"], self.cleaned_data["period_end"])

    @property
    def scope(self):
        kind = self.cleaned_data["scope_kind"]
        field = ELEMENT_FIELDS.get(kind)
        if field is None:
            return scopes.Scope()
        return scopes.Scope.load(kind, self.cleaned_data[field].pk)
