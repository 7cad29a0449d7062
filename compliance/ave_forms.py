"""The filters of the AVE return: a year (the last closed one by default) and one facilitation
body or all of them."""

from django import forms

from common.dates import today
from common.widgets import FastSelect
from reporting.dashboard_forms import YearForm

from .ave_return import facilitation_bodies


class AveFilterForm(YearForm):
    body = forms.ModelChoiceField(
        label="Structure d'animation",
        queryset=None,
        required=False,
        empty_label="Toutes les structures",
        widget=FastSelect(attrs={"class": "form-select"}),
    )

    def __init__(self, query=None, **kwargs):
        super().__init__(query, **kwargs)
        self.fields["body"].queryset = facilitation_bodies()

    def defaults(self):
        return {"year": str(today().year - 1), "body": ""}

    @property
    def chosen_year(self):
        """The year asked for; the last closed one when it is not valid (whatever the body)."""
        self.is_valid()
        return self.cleaned_data.get("year") or today().year - 1

    @property
    def chosen_body(self):
        """The body asked for; None (all of them) when none or not a facilitation body."""
        self.is_valid()
        return self.cleaned_data.get("body")

    def query_params(self):
        body = self.chosen_body
        return {"year": self.chosen_year, **({"body": body.pk} if body else {})}
