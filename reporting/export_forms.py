"""The period and the scope of an export, read from the query string."""

from datetime import date

from django import forms

from clauses.models import Contract, Operation
from common.dates import today
from common.widgets import FastSelect
from partners.models import Epci, Organisation, Sector

from . import scope as scopes
from .rules import Period

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_PERIOD_DAYS = 5 * 366 + 1  # five years: beyond, a table by month becomes unreadable


def element_queryset(user, kind):
    """What the user may choose as the element of a scope of that kind: the sectors and EPCIs
    of Ain; only the buyers, facilitation bodies and contracts of the operations they see."""
    operations = Operation.objects.for_user(user)
    if kind == scopes.SECTOR:
        return Sector.objects.order_by("name")
    if kind == scopes.EPCI:
        return Epci.objects.order_by("name")
    if kind == scopes.BUYER:
        return Organisation.objects.filter(pk__in=operations.values("buyer")).order_by("name")
    if kind == scopes.FACILITATION_BODY:
        return Organisation.objects.filter(pk__in=operations.values("facilitation_body")).order_by("name")
    if kind == scopes.CONTRACT:
        return Contract.objects.filter(operation__in=operations).order_by("reference", "pk")
    return None


def element_choices(user):
    """Choices of the element, grouped by kind; a value says its kind: "epci:12"."""
    choices = [("", "—")]
    for kind, label in scopes.KIND_LABELS.items():
        queryset = element_queryset(user, kind)
        if queryset is None:
            continue
        options = [(f"{kind}:{obj.pk}", str(obj)) for obj in queryset]
        if options:
            choices.append((label, options))
    return choices


class ExportForm(forms.Form):
    year = forms.IntegerField(
        label="Année",
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={"invalid": "Indiquez une année, par exemple 2026."},
    )
    start = forms.DateField(
        label="Ou du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Indiquez une date valide (jj/mm/aaaa)."},
    )
    end = forms.DateField(
        label="au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Indiquez une date valide (jj/mm/aaaa)."},
    )
    scope = forms.ChoiceField(
        label="Périmètre",
        required=False,
        choices=list(scopes.KIND_LABELS.items()),
        error_messages={"invalid_choice": "Ce périmètre n'existe pas."},
    )
    scope_id = forms.CharField(
        label="Élément du périmètre",
        required=False,
        widget=FastSelect,
        help_text="Sauf pour « Tout l'Ain » : choisissez l'élément dans le groupe du périmètre.",
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        current = today().year
        self.fields["year"].widget = forms.Select(
            choices=[(year, str(year)) for year in range(current + 1, current - 11, -1)]
        )
        self.fields["year"].initial = current
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"

    def with_element_choices(self):
        """Fill the element's list (a few queries): only for the page that shows the form."""
        self.fields["scope_id"].widget.choices = element_choices(self.user)
        kind, raw = self.data.get("scope", ""), self.data.get("scope_id", "")
        if self.is_bound and kind and raw.isdigit():
            self.data = self.data.copy()
            self.data["scope_id"] = f"{kind}:{raw}"  # the option of the list, for a link's plain id
        return self

    def clean(self):
        data = super().clean()
        self._clean_period(data)
        self._clean_scope(data)
        return data

    def _clean_period(self, data):
        start, end = data.get("start"), data.get("end")
        if "start" in self.errors or "end" in self.errors or "year" in self.errors:
            return
        if start or end:
            if not (start and end):
                self.add_error("end" if start else "start", "Indiquez le début et la fin de la période.")
                return
            if end < start:
                self.add_error("end", "La fin de la période précède son début.")
                return
            if (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", "La période ne peut pas dépasser cinq ans.")
                return
            if not (date(MIN_YEAR, 1, 1) <= start and end <= date(MAX_YEAR, 12, 31)):
                self.add_error("start", f"Choisissez une période entre {MIN_YEAR} et {MAX_YEAR}.")
                return
            data["period"] = Period(start, end)
        else:
            data["period"] = Period.year(data.get("year") or today().year)

    def _clean_scope(self, data):
        if "scope" in self.errors:
            return
        kind = data.get("scope") or scopes.ALL
        data["scope"] = kind
        if kind == scopes.ALL:
            data["scope_id"] = None
            data["scope_object"] = scopes.Scope()
            return
        raw = (data.get("scope_id") or "").strip()
        if ":" in raw:
            raw_kind, raw = raw.split(":", 1)
            if raw_kind != kind:
                self.add_error("scope_id", "Cet élément n'appartient pas au périmètre choisi.")
                return
        if not raw:
            self.add_error("scope_id", "Choisissez l'élément du périmètre.")
            return
        if not raw.isdigit() or len(raw) > 18:
            self.add_error("scope_id", "Cet élément n'existe pas ou ne vous est pas accessible.")
            return
        obj = element_queryset(self.user, kind).filter(pk=int(raw)).first()
        if obj is None:
            self.add_error("scope_id", "Cet élément n'existe pas ou ne vous est pas accessible.")
            return
        data["scope_id"] = obj.pk
        data["scope_object"] = scopes.Scope(kind, obj.pk, str(obj))

    def query_params(self):
        """The cleaned choices as query parameters, for the download links."""
        data = self.cleaned_data
        period = data["period"]
        if period == Period.year(period.start.year):
            params = {"year": period.start.year}
        else:
            params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        params["scope"] = data["scope"]
        if data.get("scope_id"):
            params["scope_id"] = data["scope_id"]
        return params
