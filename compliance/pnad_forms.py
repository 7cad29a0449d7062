"""The request of the yearly PNAD/SPASER report: a calendar year."""

from django import forms

from clauses.models import today

FIRST_YEAR = 2015  # the DECP starts with the 2016 decree; earlier years have no published contracts


class PnadReportForm(forms.Form):
    year = forms.IntegerField(label="Année", error_messages={"invalid": "Choisissez une année."})

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not FIRST_YEAR <= year <= today().year:
            raise forms.ValidationError(f"Choisissez une année entre {FIRST_YEAR} et {today().year}.")
        return year
