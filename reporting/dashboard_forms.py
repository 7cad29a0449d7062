"""The filters of the dashboards: a year and a scope (all of Ain, a sector, an EPCI, a buyer)."""

from django import forms

from clauses.models import Operation
from common.dates import today
from common.widgets import FastSelect
from partners.models import Epci, Organisation, Sector

from .rules import Period
from .scope import ALL, BUYER, EPCI, SECTOR, Scope, ScopeError

FIRST_YEAR = 2020


def year_choices():
    return [(year, str(year)) for year in range(today().year + 1, FIRST_YEAR - 1, -1)]


def scope_choices():
    """One select with groups: all of Ain, the sectors, the EPCI, the buyers of an operation (three
    queries of ids and names only: a region has thousands of buyers)."""
    buyers = Organisation.objects.filter(pk__in=Operation.objects.values("buyer"))
    return [
        (ALL, "Tout l'Ain"),
        ("Secteurs départementaux", _options(SECTOR, Sector.objects)),
        ("EPCI", _options(EPCI, Epci.objects)),
        ("Donneurs d'ordre", _options(BUYER, buyers)),
    ]


def _options(kind, queryset):
    return [(f"{kind}:{pk}", name) for pk, name in queryset.order_by("name", "pk").values_list("pk", "name")]


class YearForm(forms.Form):
    """Bound to the query string with defaults, so that a bad value shows its error and the page
    still shows the current year."""

    year = forms.TypedChoiceField(label="Année", coerce=int, widget=FastSelect)

    def __init__(self, query=None, **kwargs):
        query = query or {}
        data = {name: query.get(name) or default for name, default in self.defaults().items()}
        super().__init__(data, **kwargs)
        self.fields["year"].choices = year_choices()

    def defaults(self):
        return {"year": str(today().year)}

    @property
    def chosen_year(self):
        return self.cleaned_data["year"] if self.is_valid() else today().year

    @property
    def period(self):
        return Period.year(self.chosen_year)


class DepartmentFilterForm(YearForm):
    scope = forms.ChoiceField(label="Territoire ou donneur d'ordre", widget=FastSelect(attrs={"class": "form-select"}))

    def __init__(self, query=None, **kwargs):
        super().__init__(query, **kwargs)
        self.fields["scope"].choices = scope_choices()

    def defaults(self):
        return {**super().defaults(), "scope": ALL}

    def clean_scope(self):
        kind, _, pk = self.cleaned_data["scope"].partition(":")
        try:
            self.cleaned_data["scope_object"] = Scope.load(kind, int(pk) if pk.isdigit() else None)
        except ScopeError as error:
            raise forms.ValidationError(str(error)) from error
        return self.cleaned_data["scope"]

    @property
    def chosen_scope(self):
        return self.cleaned_data["scope_object"] if self.is_valid() else Scope()
