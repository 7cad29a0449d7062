"""The upload form of a DECP file: the file is checked by its content before a job is queued."""

import csv
import io
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError

from .decp_parsers import SNIFF_BYTES, FileError, detect_format

MAX_FILE_SIZE = 500 * 1024 * 1024  # a year of a large region is about 100 MB in CSV
ACCEPTED_EXTENSIONS = (".json", ".csv")


def _csv_problem(head):
    text = head.decode("utf-8-sig", errors="replace")
    first_line = text.splitlines()[0] if text else ""
    delimiter = max((";", ",", "\t"), key=first_line.count)
    columns = set(next(csv.reader(io.StringIO(first_line), delimiter=delimiter), []))
    missing = [name for name in ("id", "montant") if name not in columns and f"{name}_marche" not in columns]
    if missing:
        listed = " et ".join(f"« {name} »" for name in missing)
        return (
            f"Ce fichier CSV n'est pas la table consolidée des DECP : il lui manque {listed}. "
            "Téléchargez la table consolidée sur data.gouv.fr (une ligne par marché et par titulaire)."
        )
    return ""


class DecpUploadForm(forms.Form):
    file = forms.FileField(
        label="Fichier DECP",
        help_text=(
            "Le JSON réglementaire (schéma v2, « marches ») ou la table consolidée en CSV (une ligne par marché "
            f"et par titulaire), {MAX_FILE_SIZE // (1024 * 1024)} Mo au maximum. Seuls les marchés du territoire "
            "sont gardés."
        ),
        widget=forms.FileInput(attrs={"accept": ".json,.csv,application/json,text/csv"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        extension = Path(uploaded.name).suffix.lower()
        if extension not in ACCEPTED_EXTENSIONS:
            shown = f"« {extension} »" if extension else "sans extension"
            raise ValidationError(f"Format non accepté ({shown}) : envoyez un fichier .json ou .csv.")
        if uploaded.size > MAX_FILE_SIZE:
            raise ValidationError(f"Le fichier dépasse {MAX_FILE_SIZE // (1024 * 1024)} Mo : découpez-le par année.")
        if uploaded.size == 0:
            raise ValidationError("Le fichier est vide.")
        uploaded.seek(0)
        head = uploaded.read(SNIFF_BYTES)
        uploaded.seek(0)
        try:
            kind = detect_format("", head)
        except FileError as error:
            raise ValidationError(str(error)) from None
        if extension == ".json" and kind != "json":
            raise ValidationError("Ce fichier .json ne contient pas du JSON : il devrait commencer par « { ».")
        if extension == ".csv":
            problem = _csv_problem(head)
            if problem:
                raise ValidationError(problem)
        return uploaded
