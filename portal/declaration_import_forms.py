"""The upload form of the import of a month's hours."""

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError

from common.tabular import content_problem
from partners.imports import thousands

from .declaration_imports import MAX_FILE_SIZE, MAX_ROWS

ACCEPTED_EXTENSIONS = (".csv", ".xlsx")


class DeclarationImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV ou XLSX",
        help_text=(
            f"Le modèle du mois rempli, au format .csv ou .xlsx : {MAX_FILE_SIZE // (1024 * 1024)} Mo et "
            f"{thousands(MAX_ROWS)} lignes au maximum."
        ),
        error_messages={
            "required": "Choisissez le fichier à importer.",
            "empty": "Le fichier est vide.",
            "invalid": "Aucun fichier n'a été reçu : choisissez-le à nouveau.",
        },
        widget=forms.FileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        extension = Path(uploaded.name).suffix.lower()
        if extension not in ACCEPTED_EXTENSIONS:
            shown = f"« {extension} »" if extension else "sans extension"
            raise ValidationError(
                f"Format non accepté ({shown}) : envoyez un fichier .csv ou .xlsx. "
                "Depuis Excel, « Enregistrer sous » permet de choisir l'un de ces formats."
            )
        if uploaded.size > MAX_FILE_SIZE:
            size = f"{uploaded.size / (1024 * 1024):.1f}".replace(".", ",")
            raise ValidationError(
                f"Le fichier pèse {size} Mo : {MAX_FILE_SIZE // (1024 * 1024)} Mo au maximum. "
                "Découpez-le en plusieurs fichiers."
            )
        problem = content_problem(uploaded)  # by content, not by name
        if problem:
            raise ValidationError(problem)
        return uploaded
